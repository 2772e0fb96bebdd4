using System.Net;
using System.Text;
using Microsoft.Azure.Cosmos;
using Moq;

namespace Inventory.Storage.Cosmos.Tests;

/// <summary>
/// Found in review: ids holding U+0080..U+009F (control characters Cosmos refuses in ids) are escaped to %80..%9F, and
/// <c>StoreKeys.Unescape</c> (Uri.UnescapeDataString, which decodes UTF-8 and leaves a lone continuation byte escaped)
/// gives them back as "%85": the document read is not the one asked for by id. The shared contract test
/// <c>Ids_with_C1_control_characters_read_back_with_their_own_id</c> shows the same on Table Storage (Azurite); this one
/// needs no emulator.
/// </summary>
public class C1ControlCharacterIdTests
{
    [Fact]
    public async Task An_id_with_a_C1_control_character_reads_back_as_itself()
    {
        const string id = "res|a\u0085b";
        var itemId = CosmosItems.ItemId(id);
        var fakes = new CosmosFakes();
        fakes.Container.Setup(c => c.ReadItemStreamAsync(itemId, new PartitionKey("P1"), null, It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => new ResponseMessage(HttpStatusCode.OK)
            {
                Content = new MemoryStream(Encoding.UTF8.GetBytes(CosmosFakes.Stored(
                    $$"""{"n":1,"id":"{{itemId}}","productId":"P1","docType":"x","storeAdded":["id","productId"]}"""))),
            });

        var found = Assert.Single(await fakes.Store().ReadAsync(Collection.Products, "P1", [id], []));

        Assert.Equal(id, found.Id);
    }
}
