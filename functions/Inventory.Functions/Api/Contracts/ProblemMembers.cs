namespace Inventory.Functions.Api.Contracts;

// Members a problem+json body carries beside type, title, status and detail (see Problems.Members).

/// <summary>validation-failed: one offending field and what is wrong with it.</summary>
public sealed record FieldErrorResponse(string Field, string Message);

/// <summary>insufficient-stock: a product of the order or the transfer, what was asked and what was available.</summary>
public sealed record ShortLineResponse(string ProductId, long Requested, long Available);
