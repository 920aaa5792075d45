using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using OrderKit.Events;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence.Json;

namespace OrderKit.Persistence;

/// <summary>The JSON form in which stores keep orders, events and the other documents of OrderKit.</summary>
/// <remarks>
/// <para>Durable stores keep an order as one versioned document beside the columns their queries need, so that a
/// later OrderKit can add to the order without a schema change per field. Every document is written as
/// <c>{"format":1,"value":{…}}</c>: <see cref="FormatVersion"/> says which shape <c>value</c> has, and a reader
/// refuses a format newer than its own instead of guessing. Names are camelCase, enums are written by name, money is
/// integer minor units with the currency code (<c>{"minor":1999,"currency":"EUR"}</c>), instants are ISO-8601 text
/// exact to the nanosecond, and each event carries its kind in a <c>type</c> property.</para>
/// <para>The metadata is generated at build time by System.Text.Json's source generator: no reflection, safe to
/// trim and to compile ahead of time. Store authors use these methods so that every store reads what any other
/// wrote.</para>
/// <para>Thread safety: stateless and thread-safe.</para>
/// </remarks>
public static class OrderKitJson
{
    /// <summary>The format this version of OrderKit writes, and the newest it reads.</summary>
    public const int FormatVersion = 1;

    private static readonly JsonSerializerOptions Options = new(StoredJsonContext.Default.Options)
    {
        TypeInfoResolver = StoredJsonContext.Default.WithAddedModifier(DescribeEvents),
    };

    private static readonly JsonTypeInfo<Document<OrderSnapshot>> OrderInfo = Info<OrderSnapshot>();
    private static readonly JsonTypeInfo<Document<OrderEvent>> EventInfo = Info<OrderEvent>();
    private static readonly JsonTypeInfo<Document<StockLocation>> LocationInfo = Info<StockLocation>();
    private static readonly JsonTypeInfo<Document<InventoryPolicy>> PolicyInfo = Info<InventoryPolicy>();
    private static readonly JsonTypeInfo<Document<List<HeldStock>>> HeldInfo = Info<List<HeldStock>>();

    /// <summary>Writes an order as a document.</summary>
    /// <param name="order">The order.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="order"/> is null.</exception>
    public static string SerializeOrder(OrderSnapshot order) => Serialize(order, OrderInfo);

    /// <summary>Writes an order as a document in UTF-8, the same text as <see cref="SerializeOrder"/> without the string in between.</summary>
    /// <param name="order">The order.</param>
    /// <returns>The JSON text, UTF-8 encoded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="order"/> is null.</exception>
    public static byte[] SerializeOrderToUtf8Bytes(OrderSnapshot order) => SerializeToUtf8Bytes(order, OrderInfo);

    /// <summary>Reads an order written by <see cref="SerializeOrder"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="resource">Where the text comes from, for the message of an exception, such as <c>order ord_1</c>.</param>
    /// <returns>The order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="StoredDataException">The text is not an order document, or is in a newer format.</exception>
    public static OrderSnapshot DeserializeOrder(string json, string resource) => Deserialize(json, resource, OrderInfo);

    /// <summary>Writes an event as a document.</summary>
    /// <param name="orderEvent">The event.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="orderEvent"/> is null.</exception>
    public static string SerializeEvent(OrderEvent orderEvent) => Serialize(orderEvent, EventInfo);

    /// <summary>Writes an event as a document in UTF-8, the same text as <see cref="SerializeEvent"/> without the string in between.</summary>
    /// <param name="orderEvent">The event.</param>
    /// <returns>The JSON text, UTF-8 encoded.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="orderEvent"/> is null.</exception>
    public static byte[] SerializeEventToUtf8Bytes(OrderEvent orderEvent) => SerializeToUtf8Bytes(orderEvent, EventInfo);

    /// <summary>Reads an event written by <see cref="SerializeEvent"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="resource">Where the text comes from, for the message of an exception, such as <c>outbox message 42</c>.</param>
    /// <returns>The event.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="StoredDataException">The text is not an event document, or is in a newer format.</exception>
    public static OrderEvent DeserializeEvent(string json, string resource) => Deserialize(json, resource, EventInfo);

    /// <summary>Writes a stock location as a document.</summary>
    /// <param name="location">The location.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="location"/> is null.</exception>
    public static string SerializeLocation(StockLocation location) => Serialize(location, LocationInfo);

    /// <summary>Reads a stock location written by <see cref="SerializeLocation"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="resource">Where the text comes from, for the message of an exception.</param>
    /// <returns>The location.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="StoredDataException">The text is not a location document, or is in a newer format.</exception>
    public static StockLocation DeserializeLocation(string json, string resource) => Deserialize(json, resource, LocationInfo);

    /// <summary>Writes an inventory policy as a document.</summary>
    /// <param name="policy">The policy.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is null.</exception>
    public static string SerializePolicy(InventoryPolicy policy) => Serialize(policy, PolicyInfo);

    /// <summary>Reads an inventory policy written by <see cref="SerializePolicy"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="resource">Where the text comes from, for the message of an exception.</param>
    /// <returns>The policy.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="StoredDataException">The text is not a policy document, or is in a newer format.</exception>
    public static InventoryPolicy DeserializePolicy(string json, string resource) => Deserialize(json, resource, PolicyInfo);

    /// <summary>Writes the units of a cart hold as a document.</summary>
    /// <param name="lines">The units held.</param>
    /// <returns>The JSON text.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lines"/> is null.</exception>
    public static string SerializeHeldStock(IReadOnlyList<HeldStock> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return Serialize([.. lines], HeldInfo);
    }

    /// <summary>Reads the units of a cart hold written by <see cref="SerializeHeldStock"/>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <param name="resource">Where the text comes from, for the message of an exception.</param>
    /// <returns>The units held.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="StoredDataException">The text is not such a document, or is in a newer format.</exception>
    public static IReadOnlyList<HeldStock> DeserializeHeldStock(string json, string resource) => Deserialize(json, resource, HeldInfo);

    private static string Serialize<T>(T value, JsonTypeInfo<Document<T>> info, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        return JsonSerializer.Serialize(new Document<T>(FormatVersion, value), info);
    }

    private static byte[] SerializeToUtf8Bytes<T>(T value, JsonTypeInfo<Document<T>> info, [CallerArgumentExpression(nameof(value))] string? name = null)
    {
        ArgumentNullException.ThrowIfNull(value, name);
        return JsonSerializer.SerializeToUtf8Bytes(new Document<T>(FormatVersion, value), info);
    }

    private static T Deserialize<T>(string json, string resource, JsonTypeInfo<Document<T>> info)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(resource);
        Document<T>? document;
        try
        {
            document = JsonSerializer.Deserialize(json, info);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or FormatException or NodaTime.Text.UnparsableValueException or InvalidOperationException or OverflowException)
        {
            throw new StoredDataException(resource, $"its {typeof(T).Name} document is corrupt ({e.Message})", e);
        }

        if (document is null || document.Value is null)
        {
            throw new StoredDataException(resource, $"its {typeof(T).Name} document is empty.");
        }

        if (document.Format is < 1 or > FormatVersion)
        {
            throw new StoredDataException(resource, $"its {typeof(T).Name} document has format {document.Format}, and this version of OrderKit reads formats 1 to {FormatVersion}; upgrade OrderKit.");
        }

        return document.Value;
    }

    private static JsonTypeInfo<Document<T>> Info<T>() => (JsonTypeInfo<Document<T>>)Options.GetTypeInfo(typeof(Document<T>));

    /// <summary>Tells the serializer the concrete events by name, and leaves out the computed <see cref="OrderEvent.Name"/>.</summary>
    private static void DescribeEvents(JsonTypeInfo info)
    {
        if (info.Type == typeof(OrderEvent))
        {
            info.PolymorphismOptions = new JsonPolymorphismOptions
            {
                TypeDiscriminatorPropertyName = "type",
                UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
            };
            foreach (Type type in StoredJsonContext.EventTypes)
            {
                info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, type.Name));
            }
        }

        if (info.Kind == JsonTypeInfoKind.Object && typeof(OrderEvent).IsAssignableFrom(info.Type))
        {
            for (int i = info.Properties.Count - 1; i >= 0; i--)
            {
                if (info.Properties[i].Name == "name")
                {
                    info.Properties.RemoveAt(i);
                }
            }
        }
    }
}
