// Cosmos DB for NoSQL with the inventory database and one container per collection of the code's layout.
// Key-based auth is off (disableLocalAuth): the app reaches it with its managed identity through a data-plane role.
param name string
param location string
param tags object = {}
param databaseName string

@allowed(['Serverless', 'Autoscale'])
@description('Serverless (pay per request) or provisioned autoscale throughput shared by the database\'s containers.')
param throughputMode string = 'Serverless'

@minValue(1000)
@description('Autoscale only: the maximum RU/s the database scales to (it scales down to 10 % of it).')
param autoscaleMaxThroughput int = 4000

@description('Containers: name, partition key path, indexing policy.')
param containers {
  name: string
  partitionKeyPath: string
  indexingPolicy: object
}[]

resource account 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: name
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: throughputMode == 'Serverless' ? [{ name: 'EnableServerless' }] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: throughputMode == 'Autoscale' ? { autoscaleSettings: { maxThroughput: autoscaleMaxThroughput } } : {}
  }
}

resource container 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [for c in containers: {
  parent: database
  name: c.name
  properties: {
    resource: {
      id: c.name
      partitionKey: {
        paths: [c.partitionKeyPath]
        kind: 'Hash'
        version: 2
      }
      indexingPolicy: c.indexingPolicy
    }
  }
}]

output name string = account.name
output endpoint string = account.properties.documentEndpoint
