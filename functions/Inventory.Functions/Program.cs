using Inventory.Functions;
using Inventory.Functions.Api;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<HttpCallsFailFast>();
builder.Services.AddInventory(builder.Configuration);
builder.Build().Run();
