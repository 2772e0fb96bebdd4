// Storage for the Functions host (AzureWebJobsStorage), the Flex Consumption deployment package and, when the Table
// store is chosen, the inventory tables. Shared key access is off: every client authenticates with Entra ID.
param name string
param location string
param tags object = {}
@description('Blob containers to create (the deployment package container).')
param containers string[] = []
@description('Tables to create; empty unless the Table store is chosen.')
param tables string[] = []

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    dnsEndpointType: 'Standard'
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: 'Enabled'
    supportsHttpsTrafficOnly: true
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource blobServices 'blobServices' = {
    name: 'default'
    resource container 'containers' = [for container in containers: {
      name: container
      properties: {
        publicAccess: 'None'
      }
    }]
  }

  resource tableServices 'tableServices' = {
    name: 'default'
    resource table 'tables' = [for table in tables: {
      name: table
    }]
  }
}

output name string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output queueEndpoint string = storage.properties.primaryEndpoints.queue
output tableEndpoint string = storage.properties.primaryEndpoints.table
