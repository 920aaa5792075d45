using NodaTime;
using OrderKit.Inventory;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Inventory;

public sealed class InventoryServiceTests
{
    private static readonly LocationId s_berlin = new("BER");
    private static readonly LocationId s_hamburg = new("HAM");

    private readonly InventoryService _inventory = NewInventory();

    internal static InventoryService NewInventory()
    {
        var inventory = new InventoryService(NewClock());
        inventory.AddLocation(new StockLocation(s_berlin, "Berlin warehouse") { Rank = 1 });
        inventory.AddLocation(new StockLocation(s_hamburg, "Hamburg store", LocationKind.Store) { Rank = 2 });
        return inventory;
    }

    [Fact]
    public void Receive_Reserve_Ship_Release_KeepTheCountsAndTheLedgerInStep()
    {
        _inventory.Receive(Mug, s_berlin, new Quantity(10), "PO-1");
        Assert.NotNull(_inventory.TryReserve(Mug, s_berlin, new Quantity(4), new OrderId("ord_1")));
        _inventory.Ship(Mug, s_berlin, new Quantity(3), new OrderId("ord_1"));
        _inventory.Release(Mug, s_berlin, new Quantity(1), new OrderId("ord_1"));

        StockLevel level = _inventory.GetLevel(Mug, s_berlin);
        Assert.Equal((7, 0, 7), (level.OnHand, level.Reserved, level.Available));
        IReadOnlyList<StockMovement> ledger = _inventory.GetLedger(Mug);
        Assert.Equal([StockMovementKind.Received, StockMovementKind.Reserved, StockMovementKind.Shipped, StockMovementKind.Released], ledger.Select(m => m.Kind));
        Assert.Equal(level.OnHand, ledger.Sum(m => m.OnHandChange));
        Assert.Equal(level.Reserved, ledger.Sum(m => m.ReservedChange));
        Assert.Equal([1L, 2, 3, 4], ledger.Select(m => m.Sequence));
    }

    [Fact]
    public void TryReserve_MoreThanAvailable_ReservesNothing()
    {
        _inventory.Receive(Mug, s_berlin, new Quantity(2));
        _inventory.SetSafetyStock(Mug, s_berlin, 1);

        Assert.Null(_inventory.TryReserve(Mug, s_berlin, new Quantity(2)));
        Assert.NotNull(_inventory.TryReserve(Mug, s_berlin, new Quantity(1)));
        Assert.Equal(0, _inventory.GetLevel(Mug, s_berlin).Available);
        Assert.Single(_inventory.GetLedger(), m => m.Kind == StockMovementKind.Reserved);
    }

    [Fact]
    public void TryReserve_TheLastUnitRequestedAtOnce_GoesToOneCaller()
    {
        for (int round = 0; round < 200; round++)
        {
            var inventory = NewInventory();
            inventory.Receive(Mug, s_berlin, new Quantity(1));
            int winners = 0;
            Parallel.For(0, 4, _ =>
            {
                if (inventory.TryReserve(Mug, s_berlin, new Quantity(1)) is not null)
                {
                    Interlocked.Increment(ref winners);
                }
            });
            Assert.Equal(1, winners);
            Assert.Equal((1, 1, 0), (inventory.GetLevel(Mug, s_berlin).OnHand, inventory.GetLevel(Mug, s_berlin).Reserved, inventory.GetLevel(Mug, s_berlin).Available));
        }
    }

    [Fact]
    public void Adjust_RecordsTheDifferenceWithItsReason()
    {
        _inventory.Receive(Mug, s_berlin, new Quantity(10));

        StockMovement? movement = _inventory.Adjust(Mug, s_berlin, 8, "cycle count");

        Assert.NotNull(movement);
        Assert.Equal((StockMovementKind.Adjusted, 2, -2, "cycle count"), (movement.Kind, movement.Quantity, movement.OnHandChange, movement.Reason));
        Assert.Null(_inventory.Adjust(Mug, s_berlin, 8, "recount"));
    }

    [Fact]
    public void Adjust_BelowReserved_IsRefusedAndChangesNothing()
    {
        _inventory.Receive(Mug, s_berlin, new Quantity(5));
        _inventory.TryReserve(Mug, s_berlin, new Quantity(3));

        ArgumentException error = Assert.Throws<ArgumentException>(() => _inventory.Adjust(Mug, s_berlin, 2, "count"));

        Assert.Contains("3 units are reserved", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, _inventory.GetLevel(Mug, s_berlin).OnHand);
        Assert.Equal(2, _inventory.GetLedger().Count);
    }

    [Fact]
    public void Transfer_MovesFreeUnits_AndRefusesMoreThanAvailable()
    {
        _inventory.Receive(Mug, s_berlin, new Quantity(5));
        _inventory.TryReserve(Mug, s_berlin, new Quantity(2));

        IReadOnlyList<StockMovement> moved = _inventory.Transfer(Mug, s_berlin, s_hamburg, new Quantity(3), "TR-9");
        ArgumentException error = Assert.Throws<ArgumentException>(() => _inventory.Transfer(Mug, s_berlin, s_hamburg, new Quantity(1)));

        Assert.Equal([StockMovementKind.TransferredOut, StockMovementKind.TransferredIn], moved.Select(m => m.Kind));
        Assert.Equal((2, 3), (_inventory.GetLevel(Mug, s_berlin).OnHand, _inventory.GetLevel(Mug, s_hamburg).OnHand));
        Assert.Contains("only 0 are available", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MarkDamaged_TakesUnitsOffSale()
    {
        _inventory.Receive(Mug, s_berlin, new Quantity(5));

        _inventory.MarkDamaged(Mug, s_berlin, new Quantity(2), "crushed box");

        StockLevel level = _inventory.GetLevel(Mug, s_berlin);
        Assert.Equal((3, 2, 3), (level.OnHand, level.Damaged, level.Available));
    }

    [Fact]
    public void Receive_CountsOffExpectedStock_EarliestFirst()
    {
        _inventory.ExpectIncoming(Mug, s_berlin, new Quantity(5), new LocalDate(2026, 12, 10));
        _inventory.ExpectIncoming(Mug, s_berlin, new Quantity(4), new LocalDate(2026, 12, 1));

        _inventory.Receive(Mug, s_berlin, new Quantity(6));

        Assert.Equal([new IncomingStock(3, new LocalDate(2026, 12, 10))], _inventory.GetLevel(Mug, s_berlin).Incoming);
    }

    [Fact]
    public void GetAvailableToSell_CountsOnlyLocationsThatShipThereAndServeTheChannel()
    {
        var web = new SalesChannel("web");
        _inventory.UpdateLocation(new StockLocation(s_hamburg, "Hamburg store", LocationKind.Store) { Regions = [new ShippingRegion("DE", "2")] });
        _inventory.Receive(Mug, s_berlin, new Quantity(4));
        _inventory.Receive(Mug, s_hamburg, new Quantity(3));

        Assert.Equal(4, _inventory.GetAvailableToSell(Mug, Berlin, web));
        Assert.Equal(7, _inventory.GetAvailableToSell(Mug, Berlin with { PostalCode = "20095" }, web));
        _inventory.SetPolicy(Cap, InventoryPolicy.Untracked);
        Assert.Equal(int.MaxValue, _inventory.GetAvailableToSell(Cap, Berlin, web));
        Assert.Equal(0, _inventory.GetAvailableToSell(Tee, Berlin, web));
    }

    [Fact]
    public void BadInput_ThrowsNamingTheValue_AndChangesNothing()
    {
        Assert.Contains("\"NOWHERE\" is not a known stock location", Assert.Throws<ArgumentException>(() => _inventory.Receive(Mug, new LocationId("NOWHERE"), new Quantity(1))).Message, StringComparison.Ordinal);
        Assert.Equal("quantity", Assert.Throws<ArgumentException>(() => _inventory.Receive(Mug, s_berlin, default)).ParamName);
        Assert.Equal("sku", Assert.Throws<ArgumentException>(() => _inventory.Receive(default, s_berlin, new Quantity(1))).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => _inventory.Adjust(Mug, s_berlin, -1, "count"));
        Assert.Throws<ArgumentException>(() => _inventory.Transfer(Mug, s_berlin, s_berlin, new Quantity(1)));
        Assert.Throws<ArgumentException>(() => _inventory.Release(Mug, s_berlin, new Quantity(1)));
        Assert.Throws<ArgumentException>(() => _inventory.AddLocation(new StockLocation(s_berlin, "again")));
        Assert.Throws<ArgumentException>(() => _inventory.SetPolicy(Mug, InventoryPolicy.Dropship(new LocationId("SUPPLIER-X"))));
        Assert.Empty(_inventory.GetLedger());
    }
}
