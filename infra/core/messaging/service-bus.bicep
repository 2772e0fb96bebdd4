// Service Bus (Standard: queues with duplicate detection). Local (SAS) auth is off: senders and receivers use Entra ID.
param name string
param location string
param tags object = {}

@description('Queues: name, maxDeliveryCount, and whether the broker drops a MessageId it has seen within the window.')
param queues {
  name: string
  maxDeliveryCount: int
  requiresDuplicateDetection: bool
}[]

@description('How long a MessageId is remembered on queues with duplicate detection (ISO 8601).')
param duplicateDetectionWindow string = 'P1D'

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [for q in queues: {
  parent: namespace
  name: q.name
  properties: {
    maxDeliveryCount: q.maxDeliveryCount
    // An expired message is kept in the dead-letter queue with its reason instead of vanishing.
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P14D'
    lockDuration: 'PT1M'
    requiresDuplicateDetection: q.requiresDuplicateDetection
    // Read by the broker only where duplicate detection is on.
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
  }
}]

output name string = namespace.name
// The host name only (name.servicebus.windows.net): what ServiceBusConnection__fullyQualifiedNamespace expects.
output fullyQualifiedNamespace string = split(split(split(namespace.properties.serviceBusEndpoint, '//')[1], '/')[0], ':')[0]
