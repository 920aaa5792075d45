using System.Text.Json.Nodes;
using NodaTime;
using OrderKit.Events;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Persistence;
using OrderKit.Tests.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Persistence;

public sealed class OrderKitJsonTests
{
    /// <summary>Any order a random history can produce reads back as the same order, and its events as the same events; the UTF-8 forms are the same text.</summary>
    [Property(MaxTest = 300)]
    public Property Order_RandomHistories_RoundTripExactly() =>
        Prop.ForAll(Arb.From(OrderTests.RunGen), run =>
        {
            Sku[] skus = [Mug, Tee, Cap];
            Order order = Order.Place(Request([.. run.Ordered.Select((q, i) => (skus[i], q, 1m))]), NewClock());
            foreach (OrderCommand command in run.Commands)
            {
                try
                {
                    OrderTests.Run(order, command, skus);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOrderTransitionException)
                {
                }
            }

            OrderSnapshot snapshot = order.ToSnapshot() with { Version = 3 };
            string json = OrderKitJson.SerializeOrder(snapshot);
            Assert.Equal(json, System.Text.Encoding.UTF8.GetString(OrderKitJson.SerializeOrderToUtf8Bytes(snapshot)));
            OrderSnapshot read = OrderKitJson.DeserializeOrder(json, "test");
            Assert.Equal(json, OrderKitJson.SerializeOrder(read));
            Assert.Equal(snapshot.Timeline.Select(e => e.ToString()), read.Timeline.Select(e => e.ToString()));
            Assert.Equal(order.ToString().Replace(" v0", " v3", StringComparison.Ordinal), Order.FromSnapshot(read, NewClock()).ToString());
            foreach (OrderEvent orderEvent in snapshot.Timeline)
            {
                string eventJson = OrderKitJson.SerializeEvent(orderEvent);
                Assert.Equal(eventJson, OrderKitJson.SerializeEvent(OrderKitJson.DeserializeEvent(eventJson, "test")));
                Assert.Equal(eventJson, System.Text.Encoding.UTF8.GetString(OrderKitJson.SerializeEventToUtf8Bytes(orderEvent)));
            }
        });

    [Fact]
    public void SerializeOrder_WritesMoneyAsMinorUnits_EnumsByName_AndTheFormat()
    {
        Order order = Order.Place(Request((Mug, 2, 19.99m)), NewClock());
        JsonNode document = JsonNode.Parse(OrderKitJson.SerializeOrder(order.ToSnapshot()))!;
        Assert.Equal(OrderKitJson.FormatVersion, (int)document["format"]!);
        Assert.Equal(1999, (long)document["value"]!["lines"]![0]!["unitPrice"]!["minor"]!);
        Assert.Equal("EUR", (string)document["value"]!["lines"]![0]!["unitPrice"]!["currency"]!);
        Assert.Equal("Pending", (string)document["value"]!["status"]!);
        Assert.Equal("OrderPlaced", (string)document["value"]!["timeline"]![0]!["type"]!);
        Assert.Null(document["value"]!["timeline"]![0]!["name"]);
    }

    [Fact]
    public void SerializeToUtf8Bytes_RefusesNull_NamingTheArgument()
    {
        Assert.Equal("order", Assert.Throws<ArgumentNullException>(() => OrderKitJson.SerializeOrderToUtf8Bytes(null!)).ParamName);
        Assert.Equal("orderEvent", Assert.Throws<ArgumentNullException>(() => OrderKitJson.SerializeEventToUtf8Bytes(null!)).ParamName);
    }

    [Fact]
    public void Deserialize_CorruptText_ThrowsStoredDataException_NamingTheResource()
    {
        StoredDataException error = Assert.Throws<StoredDataException>(() => OrderKitJson.DeserializeOrder("{\"format\":1,\"value\":{\"id\":", "order ord_9"));
        Assert.Equal("order ord_9", error.Resource);
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
        Assert.Throws<StoredDataException>(() => OrderKitJson.DeserializeOrder("{\"format\":1,\"value\":{\"id\":\"ord_1\"}}", "order ord_1"));
        Assert.Throws<StoredDataException>(() => OrderKitJson.DeserializeEvent("{\"format\":1,\"value\":{\"type\":\"NoSuchEvent\"}}", "outbox message 1"));
        Assert.Throws<StoredDataException>(() => OrderKitJson.DeserializeOrder("null", "order ord_1"));
        Assert.Throws<StoredDataException>(() => OrderKitJson.DeserializePolicy("{\"format\":1,\"value\":{\"kind\":\"Backorder\",\"limit\":-1}}", "policy"));
    }

    [Fact]
    public void Deserialize_NewerFormat_ThrowsStoredDataException_SayingToUpgrade()
    {
        string json = OrderKitJson.SerializeOrder(Order.Place(Request((Mug, 1, 1m)), NewClock()).ToSnapshot()).Replace("\"format\":1", "\"format\":2", StringComparison.Ordinal);
        StoredDataException error = Assert.Throws<StoredDataException>(() => OrderKitJson.DeserializeOrder(json, "order ord_1"));
        Assert.Contains("format 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LocationsPoliciesAndHeldStock_RoundTrip()
    {
        var location = new StockLocation(new LocationId("STORE-1"), "Mitte", LocationKind.Store)
        {
            Rank = 3,
            IsActive = false,
            Position = new GeoPoint(52.52, 13.405),
            Regions = [new ShippingRegion("DE", "10")],
            Channels = [new SalesChannel("pos")],
            OffersClickAndCollect = true,
        };
        StockLocation read = OrderKitJson.DeserializeLocation(OrderKitJson.SerializeLocation(location), "test");
        Assert.Equal(OrderKitJson.SerializeLocation(location), OrderKitJson.SerializeLocation(read));
        Assert.Equal(location.Position, read.Position);

        foreach (InventoryPolicy policy in new[] { InventoryPolicy.Untracked, InventoryPolicy.DenyWhenShort, InventoryPolicy.Backorder(), InventoryPolicy.Backorder(5), InventoryPolicy.Preorder(new LocalDate(2027, 2, 1), 9), InventoryPolicy.Dropship(new LocationId("SUP")) })
        {
            Assert.Equal(policy, OrderKitJson.DeserializePolicy(OrderKitJson.SerializePolicy(policy), "test"));
        }

        HeldStock[] held = [new(Mug, new LocationId("WH-A"), 2), new(Tee, new LocationId("WH-B"), 1)];
        Assert.Equal(held, OrderKitJson.DeserializeHeldStock(OrderKitJson.SerializeHeldStock(held), "test"));
    }
}
