// Everything `azd up` creates for the inventory service: one resource group holding a Flex Consumption Function App that
// runs as a user-assigned managed identity, its storage, monitoring, Service Bus and the chosen document store.
// No key, connection string or listKeys anywhere: every connection is identity-based and granted by role (app/rbac.bicep).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; resource names derive a unique token from it.')
param environmentName string

@minLength(1)
@description('Region of every resource (it must offer Flex Consumption).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of the deploying user, granted the same data roles as the app for local runs against Azure. Empty: none.')
param principalId string = ''

@allowed(['User', 'ServicePrincipal'])
@description('What principalId is: a user, or the service principal of a CI pipeline.')
param principalType string = 'User'

@allowed(['Cosmos', 'Table'])
@description('The document store the app uses (Store__Kind): Cosmos DB for NoSQL, or Azure Table Storage in the app\'s storage account.')
param storeKind string = 'Cosmos'

@allowed(['Serverless', 'Autoscale'])
@description('Cosmos DB capacity: serverless, or autoscale throughput shared by the database.')
param cosmosThroughputMode string = 'Serverless'

@minValue(1000)
@description('Autoscale only: maximum RU/s of the database, shared by its containers (it idles at a tenth of it).')
param cosmosAutoscaleMaxThroughput int = 4000

@minValue(0)
@maxValue(1000)
@description('Most Function App instances. 0: one per 500 RU/s of the store\'s ceiling (docs/cosmos.md, "Capacity"), so the app cannot scale out beyond what the store serves and turn load into throttling.')
param maximumInstanceCount int = 0

@description('NCRONTAB of the daily replenishment scan (ReplenishmentSchedule), UTC.')
param replenishmentSchedule string = '0 0 2 * * *'

@description('NCRONTAB of the expired-hold sweep (HoldSweepSchedule), UTC.')
param holdSweepSchedule string = '0 */1 * * * *'

@description('NCRONTAB of the recovery of open order sagas (RecoverOrdersSchedule), UTC.')
param recoverOrdersSchedule string = '0 * * * * *'

@minValue(0)
@maxValue(36500)
@description('Ledger entries move to Blob Storage once their month ended this many days ago (Ledger__ArchiveAfterDays). 0: they stay hot.')
param ledgerArchiveAfterDays int = 0

@description('NCRONTAB of the ledger archival (ArchiveLedgerSchedule), UTC.')
param archiveLedgerSchedule string = '0 30 3 * * *'

@secure()
@description('HMAC secret of Shopify webhooks (Shopify__WebhookSecret), from azd env SHOPIFY_WEBHOOK_SECRET.')
param shopifyWebhookSecret string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = '${abbrs.webSitesFunctions}api-${resourceToken}'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}-${take(resourceToken, 7)}'
// Ledger entries past Ledger__ArchiveAfterDays, as gzip JSON lines per product and month (the app's identity holds Storage Blob Data Owner).
var ledgerArchiveContainerName = 'ledger-archive'

// The code's storage layout: one Cosmos container (or table) per Inventory.Storage.Collection, as declared by
// functions/Inventory.Storage.Cosmos/CosmosLayout.cs. tests/Inventory.Infra.Tests fails when the two drift apart.
var databaseName = 'inventory'
var tablePrefix = 'inventory'
var collections = [
  // The product's partition; old ledger entries move to the ledger archive container (Blob Storage), nothing expires.
  { name: 'products', partitionKeyPath: '/productId', indexedPaths: ['/docType/?', '/createdAt/?', '/locationId/?'] }
  { name: 'orders', partitionKeyPath: '/orderId', indexedPaths: [] }
  { name: 'warehouses', partitionKeyPath: '/warehouseId', indexedPaths: [] }
  { name: 'locations', partitionKeyPath: '/locationId', indexedPaths: [] }
  { name: 'skus', partitionKeyPath: '/sku', indexedPaths: [] }
  { name: 'holds', partitionKeyPath: '/day', indexedPaths: [] }
  { name: 'purchaseOrders', partitionKeyPath: '/poId', indexedPaths: [] }
  { name: 'quarantine', partitionKeyPath: '/queue', indexedPaths: [] } // poison messages, by queue
  { name: 'runs', partitionKeyPath: '/job', indexedPaths: [] } // run records and checkpoints, by job
  { name: 'catalog', partitionKeyPath: '/bucket', indexedPaths: [] } // catalogue index: a row per product, 16 buckets
]
// Only what the store's queries filter or order on is indexed: the partition key (cross-partition listings order by
// it) and the layout's paths; id and _ts are always indexed. Indexing whole documents would cost RUs on every write.
var cosmosContainers = map(collections, c => {
  name: c.name
  partitionKeyPath: c.partitionKeyPath
  indexingPolicy: {
    indexingMode: 'consistent'
    automatic: true
    includedPaths: map(concat(['${c.partitionKeyPath}/?'], c.indexedPaths), path => { path: path })
    excludedPaths: [{ path: '/*' }]
  }
})

var queueNames = {
  receipts: 'receipts'
  purchaseOrderEvents: 'purchase-order-events'
  purchaseOrders: 'purchase-orders'
}
var queues = [
  { name: queueNames.receipts, maxDeliveryCount: 10, requiresDuplicateDetection: false }
  { name: queueNames.purchaseOrderEvents, maxDeliveryCount: 10, requiresDuplicateDetection: false }
  // Purchase orders are published with MessageId = poId: the broker drops a re-publish of the same order.
  { name: queueNames.purchaseOrders, maxDeliveryCount: 10, requiresDuplicateDetection: true }
]

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: '${abbrs.resourcesResourceGroups}${environmentName}'
  location: location
  tags: tags
}

module identity 'core/identity/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}api-${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: '${abbrs.insightsComponents}${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: '${abbrs.storageStorageAccounts}${resourceToken}'
    location: location
    tags: tags
    containers: [deploymentContainerName, ledgerArchiveContainerName]
    tables: storeKind == 'Table' ? map(collections, c => '${tablePrefix}${toLower(c.name)}') : []
  }
}

module serviceBus 'core/messaging/service-bus.bicep' = {
  name: 'serviceBus'
  scope: rg
  params: {
    name: '${abbrs.serviceBusNamespaces}${resourceToken}'
    location: location
    tags: tags
    queues: queues
  }
}

module cosmos 'core/database/cosmos-sql.bicep' = if (storeKind == 'Cosmos') {
  name: 'cosmos'
  scope: rg
  params: {
    name: '${abbrs.documentDBDatabaseAccounts}${resourceToken}'
    location: location
    tags: tags
    databaseName: databaseName
    throughputMode: cosmosThroughputMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    containers: cosmosContainers
  }
}

// The RU/s the hot container can get: a serverless container tops out at 5,000 RU/s; autoscale shares its maximum.
// Table Storage has no RU: its account target (20,000 entities/s) is far above what 40 instances send.
var storeCeiling = storeKind == 'Table' ? 20000 : (cosmosThroughputMode == 'Serverless' ? 5000 : cosmosAutoscaleMaxThroughput)
var instanceCeiling = maximumInstanceCount > 0 ? maximumInstanceCount : (storeKind == 'Table' ? 40 : max(1, storeCeiling / 500))

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    planName: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    storeKind: storeKind
    tablePrefix: tablePrefix
    cosmosEndpoint: storeKind == 'Cosmos' ? cosmos!.outputs.endpoint : ''
    cosmosDatabaseName: databaseName
    ledgerArchiveAfterDays: ledgerArchiveAfterDays
    archiveLedgerSchedule: archiveLedgerSchedule
    ledgerArchiveContainerName: ledgerArchiveContainerName
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    queueNames: queueNames
    replenishmentSchedule: replenishmentSchedule
    holdSweepSchedule: holdSweepSchedule
    recoverOrdersSchedule: recoverOrdersSchedule
    shopifyWebhookSecret: shopifyWebhookSecret
    maximumInstanceCount: instanceCeiling
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    serviceBusNamespaceName: serviceBus.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    cosmosAccountName: storeKind == 'Cosmos' ? cosmos!.outputs.name : ''
    appPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output SERVICE_API_NAME string = api.outputs.name
output AZURE_FUNCTION_NAME string = api.outputs.name
output AZURE_FUNCTION_URL string = 'https://${api.outputs.defaultHostName}'
output STORE_KIND string = storeKind
output COSMOS_ENDPOINT string = storeKind == 'Cosmos' ? cosmos!.outputs.endpoint : ''
output SERVICE_BUS_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output STORAGE_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
