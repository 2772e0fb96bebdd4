using Inventory.Domain;

namespace Inventory.Application.Stock;

/// <summary>A product's level right after a change: what the reorder trigger looks at.</summary>
public sealed record StockLevel(Product Product, long Available);
