using System.Text.Json.Serialization.Metadata;

namespace Inventory.Functions.Api;

/// <summary>
/// What may go out as JSON: the Functions project's own records (Api/Contracts, Messaging/Contracts), the BCL's values
/// and collections, and Core's enums (a value set of the domain, spelled by the API's own converter). A Core record is
/// refused, so a domain record, an application view or a stored document never becomes a response or a message by
/// accident, and a change to one of them cannot change the wire unseen.
/// </summary>
public static class WireTypes
{
    private static readonly System.Reflection.Assembly Core = typeof(Inventory.Domain.DomainException).Assembly;

    public static bool IsAllowed(Type type) => type.Assembly != Core || type.IsEnum;

    public static void RefuseCoreTypes(JsonTypeInfo info)
    {
        if (!IsAllowed(info.Type))
            throw new InvalidOperationException($"{info.Type.FullName} is a Core type: map it to a wire type of Inventory.Functions (Api/Contracts, "
                + "Messaging/Contracts) before writing it as a response or a message.");
    }
}
