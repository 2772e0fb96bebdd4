using System.Reflection;
using Inventory.Storage.Cosmos;
using Inventory.Storage.Tables;

namespace Inventory.Infra.Tests;

/// <summary>The Function App's app settings and local.settings.sample.json name the same settings, bar the documented exceptions.</summary>
[Collection(InfraCollection.Name)]
public sealed class AppSettingsMatchTheLocalSample(InfraTemplate infra)
{
    private IReadOnlyDictionary<string, string> Azure => infra.Cosmos.AppSettings;

    [Fact]
    public void Every_setting_of_the_contract_is_in_the_local_sample() =>
        Assert.DoesNotContain(SettingsContract.Required, name => !LocalSettings.Values.ContainsKey(name));

    [Fact]
    public void Every_app_setting_in_Azure_is_in_the_local_sample_unless_Azure_only() =>
        Assert.DoesNotContain(Azure.Keys, name => !LocalSettings.Values.ContainsKey(name) && !SettingsContract.AzureOnly.Contains(name));

    [Fact]
    public void Every_local_setting_is_set_in_Azure_unless_local_only() =>
        Assert.DoesNotContain(LocalSettings.Values.Keys, name => !Azure.ContainsKey(name) && !SettingsContract.LocalOnly.ContainsKey(name));

    [Fact]
    public void Each_local_connection_has_its_identity_based_counterpart_in_Azure()
    {
        foreach (var (local, azure) in SettingsContract.LocalOnly.Where(p => p.Value.Length > 0))
        {
            Assert.True(LocalSettings.Values.ContainsKey(local), $"{local} is listed as local-only but is not in the sample");
            Assert.False(Azure.ContainsKey(local), $"{local} is a secret-bearing local connection and must not be set in Azure");
            Assert.True(Azure.ContainsKey(azure), $"{local} has no identity-based counterpart {azure} in Azure");
        }
    }

    [Fact]
    public void The_Azure_only_settings_are_all_set_in_Azure() =>
        Assert.DoesNotContain(SettingsContract.AzureOnly, name => !Azure.ContainsKey(name));

    [Fact]
    public void The_setting_names_do_not_depend_on_the_store_kind() =>
        Assert.Equal(Azure.Keys.Order(StringComparer.Ordinal), infra.Table.AppSettings.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [InlineData(typeof(TableStoreOptions), TableStoreOptions.Section)]
    [InlineData(typeof(CosmosStoreOptions), CosmosStoreOptions.Section)]
    [InlineData(typeof(Inventory.Storage.Blobs.BlobArchiveOptions), Inventory.Storage.Blobs.BlobArchiveOptions.Section)]
    public void Every_option_a_store_binds_is_in_the_local_sample(Type options, string section)
    {
        var names = options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .Select(p => $"{section}__{p.Name}")
            .ToList();
        Assert.NotEmpty(names);
        Assert.DoesNotContain(names, name => !LocalSettings.Values.ContainsKey(name));
    }
}
