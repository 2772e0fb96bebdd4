using Inventory.Application.Catalog;
using Inventory.Application.Orders;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;

namespace Inventory.Application;

/// <summary>
/// Every use case wired over one store: the composition that hosts (Functions, local host, benchmarks, tests) share,
/// so none of them assembles the graph by hand.
/// </summary>
public sealed partial class InventoryApplication
{
    public InventoryApplication(IDocumentStore store, TimeProvider? clock = null, ConcurrencyOptions? concurrency = null,
        AllocationOptions? allocation = null, LedgerOptions? ledger = null, ILedgerArchive? archive = null)
    {
        clock ??= TimeProvider.System;
        concurrency ??= new ConcurrencyOptions();
        allocation ??= AllocationOptions.Default;
        Clock = clock;
        Concurrency = concurrency;
        Store = store;
        ledger ??= new LedgerOptions();
        ledger.Validate();
        Partitions = new ProductPartitions(store, ledger);
        Committer = new StockCommitter(Partitions, concurrency, Statistics);
        Orders = new OrderHeaders(store, concurrency);
        Catalog = new CatalogQueries(store);
        CatalogIndex = new CatalogIndex(store, clock);
        SaveProduct = new SaveProduct(store, concurrency, CatalogIndex);
        SaveWarehouse = new SaveWarehouse(store);
        SaveLocation = new SaveLocation(store);
        Reserve = new ReserveStock(Committer, Orders, store, allocation, clock);
        Release = new ReleaseReservation(Committer, Orders, clock);
        Fulfill = new FulfillReservation(Committer, Orders, clock) { AfterChange = OnStockLoweredAsync, AfterMove = OnStockMovedAsync };
        ResumeChanges = new ResumeReservationChanges(Orders, Fulfill, Release);
        ExpireHolds = new ExpireHolds(Committer, Orders, clock);
        References = new ReferenceClaims(store, clock);
        Adjust = new AdjustStock(Committer, Catalog, clock) { AfterDrop = OnStockLoweredAsync, AfterMove = OnStockMovedAsync, References = References };
        Transfer = new TransferStock(Committer, Catalog, clock) { AfterMove = OnStockMovedAsync, References = References };
        Receive = new ReceiveStock(Committer, Catalog, clock) { AfterMove = OnStockMovedAsync, References = References };
        ArchivedLedger = archive is null ? null : new ArchivedLedger(archive);
        Stock = new StockQueries(Partitions, ArchivedLedger);
        Invariants = new InvariantChecker(Partitions, ArchivedLedger);
    }

    public IDocumentStore Store { get; }

    /// <summary>The kind of store underneath ("Azure Table Storage", "Azure Cosmos DB"), for health and problems.</summary>
    public string StoreName => Store.Limits.StoreName;

    /// <summary>Answers when the store is reachable (health checks).</summary>
    public Task PingStoreAsync(CancellationToken ct = default) => Store.PingAsync(ct);

    public WebhookDeliveries Deliveries => field ??= new(Store);

    /// <summary>Settings of the order sagas (recovery threshold). Set before first use.</summary>
    public OrderOptions OrderOptions { get; init; } = new();

    /// <summary>The sagas an order coordinates, which <see cref="RecoverOrders"/> finishes when they are left open.</summary>
    public IReadOnlyList<IOrderSaga> OrderSagas => field ??= [Reserve, ResumeChanges, CreatePurchaseOrder, ReceivePurchaseOrder];
    public RecoverOrders RecoverOrders => field ??= new(Orders, OrderSagas, OrderOptions, Clock);
    public TimeProvider Clock { get; }
    public ConcurrencyOptions Concurrency { get; }
    public CommitStatistics Statistics { get; } = new();
    public ProductPartitions Partitions { get; }
    public StockCommitter Committer { get; }
    public OrderHeaders Orders { get; }
    public CatalogQueries Catalog { get; }
    /// <summary>One row per product in 16 buckets: what lists and the nightly scan walk instead of the Products collection.</summary>
    public CatalogIndex CatalogIndex { get; }
    /// <summary>Writes the index rows of products saved before the index existed (an operator's one-off, paged).</summary>
    public CatalogBackfill CatalogBackfill => field ??= new(Store, CatalogIndex);
    public SaveProduct SaveProduct { get; }
    public SaveWarehouse SaveWarehouse { get; }
    public SaveLocation SaveLocation { get; }
    public ReserveStock Reserve { get; }
    public ReleaseReservation Release { get; }
    public FulfillReservation Fulfill { get; }
    /// <summary>Finishes an order's pending fulfilments and releases (for recovery).</summary>
    public ResumeReservationChanges ResumeChanges { get; }
    public ExpireHolds ExpireHolds { get; }
    /// <summary>Binds each direct adjustment, transfer and receipt reference to one product.</summary>
    public ReferenceClaims References { get; }
    public AdjustStock Adjust { get; }
    public TransferStock Transfer { get; }
    public ReceiveStock Receive { get; }
    public StockQueries Stock { get; }
    /// <summary>The ledger below the hot store (null: no archive configured).</summary>
    public ArchivedLedger? ArchivedLedger { get; }
    /// <summary>Moves ledger entries past Ledger:ArchiveAfterDays to the archive (the ArchiveLedger timer).</summary>
    public LedgerArchival LedgerArchival => field ??= new(Partitions, ArchivedLedger, CatalogIndex, Clock);
    public InvariantChecker Invariants { get; }
}
