namespace Inventory.Infra.Tests;

/// <summary>
/// The app's user-assigned identity, and the deploying user when given, hold the data-plane roles that replace keys:
/// Storage Blob/Queue/Table, Cosmos DB Built-in Data Contributor; on Service Bus the app is Data Owner (the scale
/// controller reads queue metrics with the app's identity and needs the Manage claim), the user Receiver and Sender.
/// </summary>
[Collection(InfraCollection.Name)]
public sealed class AppIdentityHoldsTheDataRoles(InfraTemplate infra)
{
    private const string MonitoringMetricsPublisher = "3913510d-42f4-4e42-8a64-420c390055eb";
    private const string CosmosDataContributor = "00000000-0000-0000-0000-000000000002";

    private const string ServiceBusDataOwner = "090c5cfd-751d-490a-894a-3ce6f1109419";

    private static readonly string[] StorageRoles =
    [
        "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
        "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
        "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
    ];

    private static readonly string[] UserServiceBusRoles =
    [
        "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0", // Azure Service Bus Data Receiver
        "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39", // Azure Service Bus Data Sender
    ];

    private static bool IsAppIdentity(string principalId) =>
        principalId.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", StringComparison.Ordinal) && principalId.Contains(".principalId", StringComparison.Ordinal);

    private IEnumerable<string> RolesOf(Func<string, bool> principal) => infra.Cosmos
        .Resources("Microsoft.Authorization/roleAssignments")
        .Select(a => a["properties"]!)
        .Where(p => principal((string)p["principalId"]!))
        .Select(p => ((string)p["roleDefinitionId"]!).Split('/')[^1]);

    private IEnumerable<string> CosmosRolesOf(Func<string, bool> principal) => infra.Cosmos
        .Resources("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments")
        .Select(a => a["properties"]!)
        .Where(p => principal((string)p["principalId"]!))
        .Select(p => ((string)p["roleDefinitionId"]!).Split('/')[^1]);

    [Fact]
    public void The_app_identity_holds_every_data_role_owns_Service_Bus_for_scaling_and_publishes_telemetry()
    {
        Assert.Equal(StorageRoles.Append(ServiceBusDataOwner).Append(MonitoringMetricsPublisher).Order(StringComparer.Ordinal),
            RolesOf(IsAppIdentity).Order(StringComparer.Ordinal));
        Assert.Equal([CosmosDataContributor], CosmosRolesOf(IsAppIdentity));
    }

    [Fact]
    public void The_deploying_user_holds_the_data_roles_for_local_runs_against_Azure()
    {
        static bool IsUser(string id) => id == InfraTemplate.DeployingUserId;
        Assert.Equal(StorageRoles.Concat(UserServiceBusRoles).Order(StringComparer.Ordinal), RolesOf(IsUser).Order(StringComparer.Ordinal));
        Assert.Equal([CosmosDataContributor], CosmosRolesOf(IsUser));
    }

    [Fact]
    public void Without_a_deploying_user_only_the_app_is_granted() =>
        Assert.All(infra.Table.Resources("Microsoft.Authorization/roleAssignments"),
            a => Assert.True(IsAppIdentity((string)a["properties"]!["principalId"]!)));
}
