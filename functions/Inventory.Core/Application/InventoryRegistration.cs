using Inventory.Application.Escrow;
using Inventory.Application.Catalog;
using Inventory.Application.Counts;
using Inventory.Application.Lists;
using Inventory.Application.Orders;
using Inventory.Application.Purchasing;
using Inventory.Application.Replenishment;
using Inventory.Application.Stock;
using Inventory.Domain;
using Inventory.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Inventory.Application;

/// <summary>
/// The composition root: every use case registered once, each built with what it needs, over the <see cref="IDocumentStore"/>
/// a store adapter registered (<c>AddTableStore</c>, <c>AddCosmosStore</c>, or a test's). Settings a host registers before
/// calling this win over the defaults here. Hosts resolve the use cases they call; nothing outside Core sees the store.
/// The post-commit steps are declared here once: <see cref="IStockChangeHandler"/>s and <see cref="IPurchaseOrderChangeHandler"/>s
/// run in registration order (a host may add its own after these).
/// </summary>
public static class InventoryRegistration
{
    public static IServiceCollection AddInventory(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new ConcurrencyOptions());
        services.TryAddSingleton(AllocationOptions.Default);
        services.TryAddSingleton(new LedgerOptions());
        services.TryAddSingleton(new OrderOptions());
        services.TryAddSingleton(new CountOptions());
        services.TryAddSingleton(new ReplenishmentOptions());
        services.TryAddSingleton(new ReceivingOptions());
        services.TryAddSingleton(new EscrowOptions());
        services.TryAddSingleton<IPurchaseOrderPublisher>(sp => sp.GetRequiredService<OutboxPublisher>());

        // What the use cases share: the store, the stock commit path and the order headers.
        services.AddSingleton(sp => new StoreHealth(Store(sp)));
        services.AddSingleton<CommitStatistics>();
        services.AddSingleton(sp =>
        {
            var ledger = sp.GetRequiredService<LedgerOptions>();
            ledger.Validate();
            // Shipments are kept for as long as the nightly rule's demand window looks back (at least 90 days).
            return new ProductPartitions(Store(sp), ledger, Clock(sp)) { DemandKeptDays = DemandHistory.KeptFor(Get<ReplenishmentOptions>(sp).DemandWindowDays) };
        });
        services.AddSingleton(sp => new StockCommitter(sp.GetRequiredService<ProductPartitions>(), Get<ConcurrencyOptions>(sp), Get<CommitStatistics>(sp)));
        services.AddSingleton(sp => new OrderHeaders(Store(sp), Get<ConcurrencyOptions>(sp)));
        // After the adapters' steps (tables, containers): the Functions host registers the store first.
        services.AddSingleton(sp => new StoreSetupStep("the order headers' layout", true, TimeSpan.FromSeconds(30),
            ct => Get<OrderHeaders>(sp).RecordLayoutAsync(ct)));
        services.AddSingleton(sp => new CatalogQueries(Store(sp)));
        services.AddSingleton(sp => new CatalogIndex(Store(sp), Clock(sp)));
        services.AddSingleton(sp => new ReferenceClaims(Store(sp), Clock(sp)));

        // The post-commit steps: location loads follow movements, the cached put-away planners take in what was put away
        // without them, then the reorder trigger follows drops; products' supply tracks changed purchase orders, then a
        // replenishment order whose creation recovery finished is sent.
        services.AddSingleton<IStockChangeHandler>(sp => Get<LocationLoads>(sp));
        services.AddSingleton<IStockChangeHandler>(sp => Get<PutAwayPlans>(sp)); // after the loads: a planner built meanwhile reads them
        services.AddSingleton<IStockChangeHandler>(sp => new ReorderTrigger(Get<ReorderProduct>(sp), sp.GetService<ILogger<ReorderTrigger>>()));
        services.AddSingleton(sp => new AfterStockCommit(sp.GetServices<IStockChangeHandler>()));
        services.AddSingleton<IPurchaseOrderChangeHandler>(sp => Get<ProductSupplies>(sp));
        services.AddSingleton<IPurchaseOrderChangeHandler>(sp => Get<PurchaseOrderSending>(sp));
        services.AddSingleton(sp => new AfterPurchaseOrderChange(sp.GetServices<IPurchaseOrderChangeHandler>()));

        // Catalog
        services.AddSingleton(sp => new BucketCopies(new ProductPartitions(Store(sp)), Get<EscrowBuckets>(sp), Get<OrderHeaders>(sp), Clock(sp)));
        services.AddSingleton(sp => new SaveProduct(Store(sp), Get<ConcurrencyOptions>(sp), Get<CatalogIndex>(sp), Get<BucketCopies>(sp), Clock(sp)));
        services.AddSingleton(sp => new SaveWarehouse(Store(sp)));
        services.AddSingleton(sp => new SaveLocation(Store(sp), Get<StockCommitter>(sp)));
        services.AddSingleton(sp => new BalanceTypeCopies(Store(sp), Get<StockCommitter>(sp)));
        services.AddSingleton(sp => new CatalogBackfill(Store(sp), Get<CatalogIndex>(sp)));

        // Stock
        services.AddSingleton(sp => new AdjustStock(Get<StockCommitter>(sp), Get<CatalogQueries>(sp), Clock(sp), Get<AfterStockCommit>(sp))
            { References = Get<ReferenceClaims>(sp), Escrow = Get<EscrowBuckets>(sp), Types = Get<BalanceTypeCopies>(sp) });
        services.AddSingleton(sp => new TransferStock(Get<StockCommitter>(sp), Get<CatalogQueries>(sp), Clock(sp), Get<AfterStockCommit>(sp))
            { References = Get<ReferenceClaims>(sp), Escrow = Get<EscrowBuckets>(sp), Types = Get<BalanceTypeCopies>(sp) });
        services.AddSingleton(sp => new ReceiveStock(Get<StockCommitter>(sp), Get<CatalogQueries>(sp), Clock(sp), Get<AfterStockCommit>(sp))
            { References = Get<ReferenceClaims>(sp), Types = Get<BalanceTypeCopies>(sp) });
        // The ledger below the hot store, when a host registered an archive (null otherwise: nothing archived, nothing read through).
        services.AddSingleton(sp => sp.GetService<ILedgerArchive>() is { } archive ? new ArchivedLedger(archive) : null!);
        services.AddSingleton(sp => new StockQueries(Get<ProductPartitions>(sp), sp.GetService<ArchivedLedger>()));
        services.AddSingleton(sp => new InvariantChecker(Get<ProductPartitions>(sp), sp.GetService<ArchivedLedger>()));
        services.AddSingleton(sp => new LedgerArchival(Get<ProductPartitions>(sp), sp.GetService<ArchivedLedger>(), Get<CatalogIndex>(sp), Clock(sp)));

        // Orders
        services.AddSingleton(sp => new EscrowBuckets(Get<StockCommitter>(sp), Get<EscrowOptions>(sp), Get<AllocationOptions>(sp), Clock(sp), Get<OrderHeaders>(sp))
            { Types = Get<BalanceTypeCopies>(sp) });
        services.AddSingleton(sp => new ReserveStock(Get<StockCommitter>(sp), Get<OrderHeaders>(sp), Store(sp), Get<AllocationOptions>(sp), Clock(sp), Get<OrderOptions>(sp),
            Get<EscrowBuckets>(sp)));
        services.AddSingleton(sp => new ReleaseReservation(Get<StockCommitter>(sp), Get<OrderHeaders>(sp), Clock(sp))
            { Orders = Get<OrderOptions>(sp), Escrow = Get<EscrowBuckets>(sp) });
        services.AddSingleton(sp => new FulfillReservation(Get<StockCommitter>(sp), Get<OrderHeaders>(sp), Clock(sp), Get<AfterStockCommit>(sp)) { Orders = Get<OrderOptions>(sp) });
        services.AddSingleton(sp => new ResumeReservationChanges(Get<OrderHeaders>(sp), Get<FulfillReservation>(sp), Get<ReleaseReservation>(sp),
            Get<OrderOptions>(sp), Clock(sp)));
        services.AddSingleton(sp => new ExpireHolds(Get<StockCommitter>(sp), Get<OrderHeaders>(sp), Get<EscrowBuckets>(sp), Clock(sp), Get<OrderOptions>(sp)));
        services.AddSingleton(sp => new WebhookDeliveries(Store(sp)));
        services.AddSingleton(sp => new DismissAttention(Get<WebhookDeliveries>(sp)));
        services.AddSingleton<IOrderSaga>(sp => Get<ReserveStock>(sp));
        services.AddSingleton<IOrderSaga>(sp => Get<ResumeReservationChanges>(sp));
        services.AddSingleton<IOrderSaga>(sp => Get<CreatePurchaseOrder>(sp));
        services.AddSingleton<IOrderSaga>(sp => Get<EscrowBuckets>(sp));
        services.AddSingleton<IOrderSaga>(sp => Get<BucketCopies>(sp));
        services.AddSingleton<IOrderSaga>(sp => Get<ReceivePurchaseOrder>(sp));
        services.AddSingleton(sp => new RecoverOrders(Get<OrderHeaders>(sp), sp.GetServices<IOrderSaga>().ToArray(), Get<OrderOptions>(sp), Clock(sp)));

        // Purchasing and receiving
        services.AddSingleton(sp => new PurchaseOrderBook(Store(sp), Get<ConcurrencyOptions>(sp)));
        services.AddSingleton(sp => new LocationLoads(Store(sp), Get<ConcurrencyOptions>(sp)));
        services.AddSingleton(sp => new PutAwayPlans(Store(sp), Clock(sp)));
        services.AddSingleton(sp => new Quarantine(Store(sp), Clock(sp)));
        services.AddSingleton(sp => new CreatePurchaseOrder(Get<PurchaseOrderBook>(sp), Get<ProductSupplies>(sp), Get<OrderHeaders>(sp), Store(sp), Clock(sp),
            Get<AfterPurchaseOrderChange>(sp)));
        services.AddSingleton(sp => new ChangePurchaseOrderStatus(Get<PurchaseOrderBook>(sp), Clock(sp), Get<AfterPurchaseOrderChange>(sp)));
        services.AddSingleton(sp => new HandlePurchaseOrderEvent(Get<PurchaseOrderBook>(sp), Get<AfterPurchaseOrderChange>(sp)));
        services.AddSingleton(sp => new ReceivePurchaseOrder(Get<StockCommitter>(sp), Get<PurchaseOrderBook>(sp), Get<OrderHeaders>(sp), Get<CatalogQueries>(sp),
            Get<PutAwayPlans>(sp), Get<AfterStockCommit>(sp), Clock(sp), Get<AfterPurchaseOrderChange>(sp))
            { OverReceiptTolerancePercent = Get<ReceivingOptions>(sp).OverReceiptTolerancePercent, Types = Get<BalanceTypeCopies>(sp) });

        // Replenishment
        services.AddSingleton(sp => new OutboxPublisher(Store(sp)));
        services.AddSingleton(sp => new ProductSupplies(Store(sp), Get<ConcurrencyOptions>(sp)));
        services.AddSingleton(sp => new PurchaseOrderSending(Get<PurchaseOrderBook>(sp), Get<ProductSupplies>(sp), Get<IPurchaseOrderPublisher>(sp), Clock(sp)));
        services.AddSingleton(sp => new ReorderProduct(Store(sp), Get<ProductSupplies>(sp), Get<PurchaseOrderBook>(sp), Get<CreatePurchaseOrder>(sp),
            Get<PurchaseOrderSending>(sp), Get<ReplenishmentOptions>(sp), Clock(sp)));
        services.AddSingleton(sp => new DailyReplenishmentScan(Store(sp), Get<CatalogIndex>(sp), Get<ReorderProduct>(sp), Get<ReplenishmentOptions>(sp),
            Get<ConcurrencyOptions>(sp), Clock(sp)));
        services.AddSingleton(sp => new ReplenishmentQueries(Store(sp), Get<ReplenishmentOptions>(sp), Clock(sp)));

        // Operator lists and counts: a count pass reads each location once (LocationReads), so every count gets its own.
        services.AddSingleton(sp => new ProductList(Store(sp), Get<CatalogIndex>(sp)));
        services.AddSingleton(sp => new WarehouseList(Store(sp)));
        services.AddSingleton(sp => new LocationContents(Store(sp)));
        services.AddSingleton(sp => new ProductReservations(Store(sp)));
        services.AddSingleton(sp => new PurchaseOrderList(Store(sp)));
        services.AddSingleton<Func<CountPass>>(sp => () => new CountPass(Get<StockCommitter>(sp), new CatalogQueries(new LocationReads(Store(sp))), Clock(sp),
            Get<AfterStockCommit>(sp)) { Escrow = Get<EscrowBuckets>(sp), Types = Get<BalanceTypeCopies>(sp) });
        services.AddSingleton(sp => new RecordedCounts(new CountBook(Store(sp)), Get<Func<CountPass>>(sp), Get<AfterStockCommit>(sp), Get<CountOptions>(sp), Clock(sp)));
        services.AddSingleton(sp => new StockCount(Get<Func<CountPass>>(sp), Get<RecordedCounts>(sp), Get<CountOptions>(sp), Get<AfterStockCommit>(sp)));
        return services;
    }

    private static T Get<T>(IServiceProvider sp) where T : notnull => sp.GetRequiredService<T>();
    private static IDocumentStore Store(IServiceProvider sp) => sp.GetRequiredService<IDocumentStore>();
    private static TimeProvider Clock(IServiceProvider sp) => sp.GetRequiredService<TimeProvider>();
}

/// <summary>The store's kind and whether it answers: what health checks and problems say, without handing out the store.</summary>
public sealed class StoreHealth(IDocumentStore store)
{
    /// <summary>"Azure Table Storage", "Azure Cosmos DB".</summary>
    public string StoreName => store.Limits.StoreName;

    public Task PingAsync(CancellationToken ct = default) => store.PingAsync(ct);
}
