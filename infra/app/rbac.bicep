// Data-plane roles instead of secrets: the app's identity (and, for local runs against Azure, the deploying user) may
// read and write exactly the stores it uses. Nothing here lists or hands out a key.
param storageAccountName string
param serviceBusNamespaceName string
param applicationInsightsName string
@description('Empty when the Table store is chosen and no Cosmos account exists.')
param cosmosAccountName string = ''

@description('Principal id of the app\'s managed identity.')
param appPrincipalId string

@description('Object id of the deploying user (or CI service principal) for local runs against Azure. Empty: none.')
param userPrincipalId string = ''

@allowed(['User', 'ServicePrincipal', 'Group'])
param userPrincipalType string = 'User'

var principals = concat(
  [{ id: appPrincipalId, type: 'ServicePrincipal', isApp: true }],
  empty(userPrincipalId) ? [] : [{ id: userPrincipalId, type: userPrincipalType, isApp: false }]
)

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}
// Cosmos DB's own data-plane role (not an Azure RBAC role): Cosmos DB Built-in Data Contributor.
var cosmosDataContributor = '00000000-0000-0000-0000-000000000002'

var storageGrants = flatten(map(principals, p => map(
  [roles.storageBlobDataOwner, roles.storageQueueDataContributor, roles.storageTableDataContributor],
  r => { principal: p, role: r })))
// The app is Data Owner: the scale controller reads the queues' message counts with the app's identity, which needs the
// Manage claim (Receiver and Sender lack it, and the app would then scale out blind). The user only sends and receives.
var serviceBusGrants = flatten(map(principals, p => map(
  p.isApp ? [roles.serviceBusDataOwner] : [roles.serviceBusDataReceiver, roles.serviceBusDataSender],
  r => { principal: p, role: r })))

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' existing = if (!empty(cosmosAccountName)) {
  name: cosmosAccountName
}

resource storageRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for g in storageGrants: {
  name: guid(storage.id, g.principal.id, g.role)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', g.role)
    principalId: g.principal.id
    principalType: g.principal.type
  }
}]

resource serviceBusRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for g in serviceBusGrants: {
  name: guid(serviceBus.id, g.principal.id, g.role)
  scope: serviceBus
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', g.role)
    principalId: g.principal.id
    principalType: g.principal.type
  }
}]

// Only the app sends telemetry, with its identity (Application Insights local auth is off).
resource telemetryRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, appPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource cosmosRoles 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = [for p in (empty(cosmosAccountName) ? [] : principals): {
  parent: cosmos
  name: guid(cosmos.id, p.id, cosmosDataContributor)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributor}'
    principalId: p.id
    scope: cosmos.id
  }
}]
