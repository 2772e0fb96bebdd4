using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Inventory.Functions;

public static class InventoryServices
{
    public static IServiceCollection AddInventory(this IServiceCollection services, IConfiguration configuration) => services;
}
