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
        AllocationOptions? allocation = null, LedgerOptions? ledger = null)
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
        ExpireHolds = new ExpireHolds(Committer, Orders, clock);
        References = new ReferenceClaims(store, clock);
        Stock = new StockQueries(Partitions);
        Invariants = new InvariantChecker(Partitions);
    }

    public IDocumentStore Store { get; }

    /// <summary>The one step after every stock commit: location loads follow movements, then the reorder trigger follows drops.</summary>
    public AfterStockCommit AfterStockCommit => field ??= new([LocationLoads, new Replenishment.ReorderTrigger(Reorder)]);

    /// <summary>The one step after a purchase order is saved: products' supply tracks it, a recovered replenishment order is sent.</summary>
    public Purchasing.AfterPurchaseOrderChange AfterPurchaseOrderChange => field ??= new([Supplies, Sending]);

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
    /// <summary>Built on first use, after the init-only settings the post-commit step reads (replenishment).</summary>
    public FulfillReservation Fulfill => field ??= new(Committer, Orders, Clock, AfterStockCommit);
    /// <summary>Finishes an order's pending fulfilments and releases (for recovery).</summary>
    public ResumeReservationChanges ResumeChanges => field ??= new(Orders, Fulfill, Release);
    public ExpireHolds ExpireHolds { get; }
    /// <summary>Binds each direct adjustment, transfer and receipt reference to one product.</summary>
    public ReferenceClaims References { get; }
    public AdjustStock Adjust => field ??= new(Committer, Catalog, Clock, AfterStockCommit) { References = References };
    public TransferStock Transfer => field ??= new(Committer, Catalog, Clock, AfterStockCommit) { References = References };
    public ReceiveStock Receive => field ??= new(Committer, Catalog, Clock, AfterStockCommit) { References = References };
    public StockQueries Stock { get; }
    public InvariantChecker Invariants { get; }
}
