using Inventory.Application;
using Inventory.Application.Catalog;
using Inventory.Application.Counts;
using Inventory.Application.Escrow;
using Inventory.Application.Lists;
using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Application.Replenishment;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Inventory.Testing;

/// <summary>
/// A test and benchmark fixture: every use case of one service graph, built through <see cref="InventoryRegistration.AddInventory"/>
/// exactly as hosts build it, over the given store (or a host's provider, <see cref="From"/>). It also hands out the parts
/// tests look inside (the committer, the store); production code never sees this class. The graph is built on first use,
/// after the init-only settings.
/// </summary>
public sealed class InventoryApplication
{
    private readonly Lazy<IServiceProvider> services;

    public InventoryApplication(IDocumentStore store, TimeProvider? clock = null, ConcurrencyOptions? concurrency = null,
        AllocationOptions? allocation = null, LedgerOptions? ledger = null, ILedgerArchive? archive = null, Action<IServiceCollection>? configure = null)
    {
        services = new(() =>
        {
            var s = new ServiceCollection();
            s.AddSingleton(store);
            s.AddSingleton(clock ?? TimeProvider.System);
            s.AddSingleton(concurrency ?? new ConcurrencyOptions());
            s.AddSingleton(allocation ?? AllocationOptions.Default);
            s.AddSingleton(ledger ?? new LedgerOptions());
            s.AddSingleton(replenishment);
            s.AddSingleton(orders);
            s.AddSingleton(counts);
            s.AddSingleton(escrow);
            s.AddSingleton(new ReceivingOptions { OverReceiptTolerancePercent = tolerance });
            if (publisher is not null) s.AddSingleton(publisher);
            if (archive is not null) s.AddSingleton(archive);
            s.AddInventory();
            configure?.Invoke(s);
            return s.BuildServiceProvider();
        });
    }

    private InventoryApplication(IServiceProvider provider) => services = new(provider);

    /// <summary>The use cases of a host's service graph (the local host in tests).</summary>
    public static InventoryApplication From(IServiceProvider provider) => new(provider);

    // Settings given at construction; read back from the graph (a host's, too).
    private readonly ReplenishmentOptions replenishment = new();
    private readonly OrderOptions orders = new();
    private readonly CountOptions counts = new();
    private readonly EscrowOptions escrow = new();
    private readonly decimal tolerance;

    public ReplenishmentOptions ReplenishmentOptions { get => Get<ReplenishmentOptions>(); init => replenishment = value; }
    public OrderOptions OrderOptions { get => Get<OrderOptions>(); init => orders = value; }
    public CountOptions CountOptions { get => Get<CountOptions>(); init => counts = value; }
    public EscrowOptions EscrowOptions { get => Get<EscrowOptions>(); init => escrow = value; }
    public decimal OverReceiptTolerancePercent { get => Get<ReceivingOptions>().OverReceiptTolerancePercent; init => tolerance = value; }
    private readonly IPurchaseOrderPublisher? publisher;

    /// <summary>Where raised purchase orders are sent: the store's outbox unless a test sets another.</summary>
    public IPurchaseOrderPublisher Publisher { get => publisher ?? Get<IPurchaseOrderPublisher>(); init => publisher = value; }

    public T Get<T>() where T : notnull => services.Value.GetRequiredService<T>();

    /// <summary>A class built from the graph as the hosts build function classes (<paramref name="others"/>: what the graph does not hold).</summary>
    public T Create<T>(params object[] others) => ActivatorUtilities.CreateInstance<T>(services.Value, others);

    /// <summary>The store the use cases run over.</summary>
    public IDocumentStore Store => Get<IDocumentStore>();
    public TimeProvider Clock => Get<TimeProvider>();
    public ConcurrencyOptions Concurrency => Get<ConcurrencyOptions>();
    public CommitStatistics Statistics => Get<CommitStatistics>();
    public ProductPartitions Partitions => Get<ProductPartitions>();
    public StockCommitter Committer => Get<StockCommitter>();
    public OrderHeaders Orders => Get<OrderHeaders>();
    public CatalogQueries Catalog => Get<CatalogQueries>();
    public CatalogIndex CatalogIndex => Get<CatalogIndex>();
    public CatalogBackfill CatalogBackfill => Get<CatalogBackfill>();
    public StoreHealth StoreHealth => Get<StoreHealth>();
    public AfterStockCommit AfterStockCommit => Get<AfterStockCommit>();
    public AfterPurchaseOrderChange AfterPurchaseOrderChange => Get<AfterPurchaseOrderChange>();

    public SaveProduct SaveProduct => Get<SaveProduct>();
    public SaveWarehouse SaveWarehouse => Get<SaveWarehouse>();
    public SaveLocation SaveLocation => Get<SaveLocation>();
    public ReserveStock Reserve => Get<ReserveStock>();
    public EscrowBuckets Escrow => Get<EscrowBuckets>();
    public ReleaseReservation Release => Get<ReleaseReservation>();
    public FulfillReservation Fulfill => Get<FulfillReservation>();
    public ResumeReservationChanges ResumeChanges => Get<ResumeReservationChanges>();
    public ExpireHolds ExpireHolds => Get<ExpireHolds>();
    public RecoverOrders RecoverOrders => Get<RecoverOrders>();
    public WebhookDeliveries Deliveries => Get<WebhookDeliveries>();
    public ReferenceClaims References => Get<ReferenceClaims>();
    public AdjustStock Adjust => Get<AdjustStock>();
    public TransferStock Transfer => Get<TransferStock>();
    public ReceiveStock Receive => Get<ReceiveStock>();
    public StockQueries Stock => Get<StockQueries>();
    public InvariantChecker Invariants => Get<InvariantChecker>();
    /// <summary>The ledger below the hot store (null: no archive given).</summary>
    public ArchivedLedger? ArchivedLedger => services.Value.GetService<ArchivedLedger>();
    public LedgerArchival LedgerArchival => Get<LedgerArchival>();

    public PurchaseOrderBook PurchaseOrders => Get<PurchaseOrderBook>();
    public LocationLoads LocationLoads => Get<LocationLoads>();
    public PutAwayPlans PutAwayPlans => Get<PutAwayPlans>();
    public Quarantine Quarantine => Get<Quarantine>();
    public CreatePurchaseOrder CreatePurchaseOrder => Get<CreatePurchaseOrder>();
    public ChangePurchaseOrderStatus ChangePurchaseOrderStatus => Get<ChangePurchaseOrderStatus>();
    public HandlePurchaseOrderEvent HandlePurchaseOrderEvent => Get<HandlePurchaseOrderEvent>();
    public ReceivePurchaseOrder ReceivePurchaseOrder => Get<ReceivePurchaseOrder>();

    public OutboxPublisher Outbox => Get<OutboxPublisher>();
    public ProductSupplies Supplies => Get<ProductSupplies>();
    public ReorderProduct Reorder => Get<ReorderProduct>();
    public DailyReplenishmentScan ReplenishmentScan => Get<DailyReplenishmentScan>();
    public ReplenishmentQueries ReplenishmentQueries => Get<ReplenishmentQueries>();

    public ProductList ProductList => Get<ProductList>();
    public WarehouseList WarehouseList => Get<WarehouseList>();
    public LocationContents LocationContents => Get<LocationContents>();
    public ProductReservations ProductReservations => Get<ProductReservations>();
    public PurchaseOrderList PurchaseOrderList => Get<PurchaseOrderList>();
    public StockCount StockCount => Get<StockCount>();
    public RecordedCounts RecordedCounts => Get<RecordedCounts>();
}
