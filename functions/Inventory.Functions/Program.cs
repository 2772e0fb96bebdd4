using Inventory.Functions;
using Inventory.Functions.Api;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<HttpCallsFailFast>();
builder.UseMiddleware<OperationCostPerFunction>();
builder.Services.AddInventory(builder.Configuration);
builder.Services.AddInventoryTelemetry(builder.Configuration);
builder.Build().Run();
