// The Functions app on Flex Consumption (FC1), running as its user-assigned identity. Its app settings are the contract
// of docs/deploy.md and local.settings.sample.json: every connection is identity-based, none carries a key.
param name string
param planName string
param location string
param tags object = {}
param serviceName string = 'api'

param identityId string
param identityClientId string
param applicationInsightsName string

param storageBlobEndpoint string
param storageQueueEndpoint string
param storageTableEndpoint string
param deploymentContainerName string

@allowed(['Cosmos', 'Table'])
param storeKind string
param tablePrefix string
param cosmosEndpoint string
param cosmosDatabaseName string
param ledgerArchiveAfterDays int
param archiveLedgerSchedule string
param ledgerArchiveContainerName string
param serviceBusNamespace string
param queueNames {
  receipts: string
  purchaseOrderEvents: string
  purchaseOrders: string
}
param replenishmentSchedule string
param holdSweepSchedule string
param recoverOrdersSchedule string
@secure()
param shopifyWebhookSecret string

param runtimeVersion string = '10.0'
param instanceMemoryMB int = 2048
@description('Set by main.bicep from the store\'s capacity.')
param maximumInstanceCount int

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-11-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      // Flex Consumption takes the worker runtime from here; FUNCTIONS_WORKER_RUNTIME is not allowed as an app setting.
      runtime: {
        name: 'dotnet-isolated'
        version: runtimeVersion
      }
    }
  }

  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Functions host storage, by managed identity.
      AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
      AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
      AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      // Telemetry: the connection string names the ingestion endpoint; with local auth disabled only an Entra token is accepted.
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsights.properties.ConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      // DefaultAzureCredential in the app (Cosmos, Tables, Service Bus sender) picks the user-assigned identity from this.
      AZURE_CLIENT_ID: identityClientId

      Store__Kind: storeKind
      Store__TableServiceUri: storeKind == 'Table' ? storageTableEndpoint : ''
      Store__TablePrefix: tablePrefix
      // Infrastructure creates tables and containers; the app's identity needs no control-plane rights.
      Store__CreateTablesIfMissing: 'false'

      Cosmos__AccountEndpoint: cosmosEndpoint
      Cosmos__DatabaseName: cosmosDatabaseName
      Cosmos__CreateIfMissing: 'false'
      Cosmos__ConnectionMode: 'Direct'
      Cosmos__ConsistencyLevel: ''
      Cosmos__ThrottleRetries: '3'
      // HTTP calls fail fast on throttling: 503 with Retry-After within seconds (docs/cosmos.md, "Throttling").
      Cosmos__InteractiveRateLimitRetries: '2'
      Cosmos__InteractiveRateLimitWait: '00:00:03'

      ServiceBusConnection__fullyQualifiedNamespace: serviceBusNamespace
      ServiceBusConnection__credential: 'managedidentity'
      ServiceBusConnection__clientId: identityClientId
      ReceiptsQueueName: queueNames.receipts
      PurchaseOrderEventsQueueName: queueNames.purchaseOrderEvents
      PurchaseOrdersQueueName: queueNames.purchaseOrders

      ReplenishmentSchedule: replenishmentSchedule
      Replenishment__DemandWindowDays: '28'
      Replenishment__DefaultWarehouseId: ''
      Replenishment__ScanPageSize: '100'
      Replenishment__ScanParallelism: '8'
      Receiving__OverReceiptTolerancePercent: '0'
      HoldSweepSchedule: holdSweepSchedule
      RecoverOrdersSchedule: recoverOrdersSchedule
      Orders__RecoverAfterSeconds: '60'
      // Ledger archival to Blob Storage by managed identity (docs/architecture.md, "Ledger lifetime").
      Ledger__ArchiveAfterDays: ledgerArchiveAfterDays > 0 ? string(ledgerArchiveAfterDays) : ''
      ArchiveLedgerSchedule: archiveLedgerSchedule
      Archive__BlobServiceUri: storageBlobEndpoint
      Archive__Container: ledgerArchiveContainerName
      Archive__CreateContainerIfMissing: 'false'
      Shopify__WebhookSecret: shopifyWebhookSecret
    }
  }
}

output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
