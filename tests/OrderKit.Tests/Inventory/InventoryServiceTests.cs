using NodaTime;
using NodaTime.Testing;
using OrderKit.Allocation;
using OrderKit.Inventory;
using OrderKit.Orders;
using static OrderKit.Tests.TestValues;

namespace OrderKit.Tests.Inventory;

public sealed class InventoryServiceTests
{
    private static readonly LocationId s_berlin = new("BER");
    private static readonly LocationId s_hamburg = new("HAM");
    private static readonly SalesChannel s_web = new("web");

    private readonly FakeClock _clock = NewClock();
    private readonly InventoryService _inventory;

    public InventoryServiceTests() => _inventory = NewInventory(_clock);

    internal static InventoryService NewInventory(IClock? clock = null)
    {
        InventoryService inventory = InventoryTestExtensions.NewInventory(clock);
        inventory.AddLocation(new StockLocation(s_berlin, "Berlin warehouse") { Rank = 1 });
        inventory.AddLocation(new StockLocation(s_hamburg, "Hamburg store", LocationKind.Store) { Rank = 2 });
        return inventory;
    }

    private static AllocationRequest Cart(int mugs) => new()
    {
        Lines = [new LineQuantity(Mug, new Quantity(mugs))],
        Destination = Berlin,
        Channel = s_web,
        Strategy = AllocationStrategy.Priority,
    };

    [Fact]
    public async Task Receive_Hold_Release_KeepTheCountsAndTheLedgerInStep()
    {
        StockMovement received = await _inventory.ReceiveAsync(Mug, s_berlin, new Quantity(10), "PO-1");
        CartHold hold = await _inventory.HoldForCartAsync("cart-1", Cart(4), Duration.FromMinutes(15));
        Assert.True(await _inventory.ReleaseCartHoldAsync("cart-1"));

        // The entry as recorded; the store numbers it as it commits, and the ledger read back has the number.
        Assert.Equal((0L, StockMovementKind.Received, 10, "PO-1"), (received.Sequence, received.Kind, received.OnHandChange, received.Reference));

        Assert.Equal([new HeldStock(Mug, s_berlin, 4)], hold.Lines);
        StockLevel level = await _inventory.GetLevelAsync(Mug, s_berlin);
        Assert.Equal((10, 0, 10), (level.OnHand, level.Reserved, level.Available));
        IReadOnlyList<StockMovement> ledger = await _inventory.GetLedgerAsync(Mug);
        Assert.Equal([StockMovementKind.Received, StockMovementKind.Reserved, StockMovementKind.Released], ledger.Select(m => m.Kind));
        Assert.Equal(level.OnHand, ledger.Sum(m => m.OnHandChange));
        Assert.Equal(level.Reserved, ledger.Sum(m => m.ReservedChange));
        Assert.Equal([1L, 2, 3], ledger.Select(m => m.Sequence));
        Assert.Equal("cart-1", ledger[1].Reference);
    }

    [Fact]
    public async Task HoldForCart_KeepsSafetyStock_AndHoldsOnlyWhatIsThere()
    {
        await _inventory.ReceiveAsync(Mug, s_berlin, new Quantity(3));
        await _inventory.SetSafetyStockAsync(Mug, s_berlin, 1);

        CartHold hold = await _inventory.HoldForCartAsync("cart-1", Cart(5), Duration.FromMinutes(15));

        Assert.Equal([new HeldStock(Mug, s_berlin, 2)], hold.Lines);
        Assert.Equal(0, (await _inventory.GetLevelAsync(Mug, s_berlin)).Available);
    }

    [Fact]
    public async Task HoldForCart_AgainForTheSameCart_ReplacesTheHold()
    {
        await _inventory.ReceiveAsync(Mug, s_berlin, new Quantity(5));

        await _inventory.HoldForCartAsync("cart-1", Cart(4), Duration.FromMinutes(15));
        CartHold second = await _inventory.HoldForCartAsync("cart-1", Cart(2), Duration.FromMinutes(15));

        Assert.Equal(2, (await _inventory.GetLevelAsync(Mug, s_berlin)).Reserved);
        Assert.Equal(second, await _inventory.GetCartHoldAsync("cart-1"));
    }

    [Fact]
    public async Task SweepExpiredCartHolds_ReleasesOnlyWhatTheClockSaysHasExpired()
    {
        await _inventory.ReceiveAsync(Mug, s_berlin, new Quantity(5));
        await _inventory.HoldForCartAsync("short", Cart(1), Duration.FromMinutes(5));
        await _inventory.HoldForCartAsync("long", Cart(2), Duration.FromMinutes(30));

        Assert.Equal(0, await _inventory.SweepExpiredCartHoldsAsync());
        _clock.Advance(Duration.FromMinutes(10));
        Assert.Equal(1, await _inventory.SweepExpiredCartHoldsAsync());

        Assert.Null(await _inventory.GetCartHoldAsync("short"));
        Assert.NotNull(await _inventory.GetCartHoldAsync("long"));
        Assert.Equal(2, (await _inventory.GetLevelAsync(Mug, s_berlin)).Reserved);
    }

    [Fact]
    public async Task TheLastUnitHeldByManyCartsAtOnce_GoesToOneCart()
    {
        for (int round = 0; round < 100; round++)
        {
            InventoryService inventory = NewInventory();
            await inventory.ReceiveAsync(Mug, s_berlin, new Quantity(1));
            CartHold[] holds = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => inventory.HoldForCartAsync($"cart-{i}", Cart(1), Duration.FromMinutes(5)))));

            Assert.Equal(1, holds.Count(h => h.Lines.Count == 1));
            StockLevel level = await inventory.GetLevelAsync(Mug, s_berlin);
            Assert.Equal((1, 1, 0), (level.OnHand, level.Reserved, level.Available));
        }
    }

    [Fact]
    public async Task Adjust_RecordsTheDifferenceWithItsReason()
    {
        await _inventory.ReceiveAsync(Mug, s_berlin, new Quantity(10));

        StockMovement? movement = await _inventory.AdjustAsync(Mug, s_berlin, 8, "cycle count");

        Assert.NotNull(movement);
        Assert.Equal((StockMovementKind.Adjusted, 2, -2, "cycle count"), (movement.Kind, movement.Quantity, movement.OnHandChange, movement.Reason));
        Assert.Null(await _inventory.AdjustAsync(Mug, s_berlin, 8, "recount"));
    }

    [Fact]
    public async Task Adjust_BelowReserved_IsRefusedAndChangesNothing()
    {
        await _inventory.ReceiveAsync(Mug, s_berlin, new Quantity(5));
        await _inventory.HoldForCartAsync("cart-1", Cart(3), Duration.FromMinutes(15));

        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => _inventory.AdjustAsync(Mug, s_berlin, 2, "count"));

        Assert.Contains("3 units are reserved", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, (await _inventory.GetLevelAsync(Mug, s_berlin)).OnHand);
        Assert.Equal(2, (await _inventory.GetLedgerAsync()).Count);
    }

    [Fact]
    public async Task Transfer_MovesFreeUnits_AndRefusesMoreThanAvailable()
    {
        await _inventory.ReceiveAsync(Mug, s_berlin, new Quantity(5));
        await _inventory.HoldForCartAsync("cart-1", Cart(2), Duration.FromMinutes(15));

        IReadOnlyList<StockMovement> moved = await _inventory.TransferAsync(Mug, s_berlin, s_hamburg, new Quantity(3), "TR-9");
        ArgumentException error = await Assert.ThrowsAsync<ArgumentException>(() => _inventory.TransferAsync(Mug, s_berlin, s_hamburg, new Quantity(1)));

        Assert.Equal([StockMovementKind.TransferredOut, StockMovementKind.TransferredIn], moved.Select(m => m.Kind));
        Assert.Equal((2, 3), ((await _inventory.GetLevelAsync(Mug, s_berlin)).OnHand, (await _inventory.GetLevelAsync(Mug, s_hamburg)).OnHand));
        Assert.Contains("only 0 are available", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkDamaged_TakesUnitsOffSale()
    {
        await _inventory.ReceiveAsync(Mug, s_berlin, new Quantity(5));

        await _inventory.MarkDamagedAsync(Mug, s_berlin, new Quantity(2), "crushed box");

        StockLevel level = await _inventory.GetLevelAsync(Mug, s_berlin);
        Assert.Equal((3, 2, 3), (level.OnHand, level.Damaged, level.Available));
        await Assert.ThrowsAsync<ArgumentException>(() => _inventory.MarkDamagedAsync(Mug, s_berlin, new Quantity(4), "more"));
    }

    [Fact]
    public async Task Receive_CountsOffExpectedStock_EarliestFirst()
    {
        await _inventory.ExpectIncomingAsync(Mug, s_berlin, new Quantity(5), new LocalDate(2026, 12, 10));
        await _inventory.ExpectIncomingAsync(Mug, s_berlin, new Quantity(4), new LocalDate(2026, 12, 1));

        await _inventory.ReceiveAsync(Mug, s_berlin, new Quantity(6));

        Assert.Equal([new IncomingStock(3, new LocalDate(2026, 12, 10))], (await _inventory.GetLevelAsync(Mug, s_berlin)).Incoming);
    }

    [Fact]
    public async Task GetAvailableToSell_CountsOnlyLocationsThatShipThereAndServeTheChannel()
    {
        await _inventory.UpdateLocationAsync(new StockLocation(s_hamburg, "Hamburg store", LocationKind.Store) { Regions = [new ShippingRegion("DE", "2")] });
        await _inventory.ReceiveAsync(Mug, s_berlin, new Quantity(4));
        await _inventory.ReceiveAsync(Mug, s_hamburg, new Quantity(3));

        Assert.Equal(4, await _inventory.GetAvailableToSellAsync(Mug, Berlin, s_web));
        Assert.Equal(7, await _inventory.GetAvailableToSellAsync(Mug, Berlin with { PostalCode = "20095" }, s_web));
        await _inventory.SetPolicyAsync(Cap, InventoryPolicy.Untracked);
        Assert.Equal(int.MaxValue, await _inventory.GetAvailableToSellAsync(Cap, Berlin, s_web));
        Assert.Equal(0, await _inventory.GetAvailableToSellAsync(Tee, Berlin, s_web));
        Assert.Equal(InventoryPolicy.Untracked, await _inventory.GetPolicyAsync(Cap));
        Assert.Equal(2, (await _inventory.GetLocationsAsync()).Count);
        Assert.Equal(2, (await _inventory.GetLevelsAsync(Mug)).Count);
    }

    [Fact]
    public async Task BadInput_ThrowsNamingTheValue_AndChangesNothing()
    {
        Assert.Contains("\"NOWHERE\" is not a known stock location", (await Assert.ThrowsAsync<ArgumentException>(() => _inventory.ReceiveAsync(Mug, new LocationId("NOWHERE"), new Quantity(1)))).Message, StringComparison.Ordinal);
        Assert.Equal("quantity", (await Assert.ThrowsAsync<ArgumentException>(() => _inventory.ReceiveAsync(Mug, s_berlin, default))).ParamName);
        Assert.Equal("sku", (await Assert.ThrowsAsync<ArgumentException>(() => _inventory.ReceiveAsync(default, s_berlin, new Quantity(1)))).ParamName);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _inventory.AdjustAsync(Mug, s_berlin, -1, "count"));
        await Assert.ThrowsAsync<ArgumentException>(() => _inventory.TransferAsync(Mug, s_berlin, s_berlin, new Quantity(1)));
        await Assert.ThrowsAsync<ArgumentException>(() => _inventory.AddLocationAsync(new StockLocation(s_berlin, "again")));
        await Assert.ThrowsAsync<ArgumentException>(() => _inventory.SetPolicyAsync(Mug, InventoryPolicy.Dropship(new LocationId("SUPPLIER-X"))));
        Assert.Equal("duration", (await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _inventory.HoldForCartAsync("cart-1", Cart(1), Duration.Zero))).ParamName);
        Assert.Equal("cartId", (await Assert.ThrowsAsync<ArgumentException>(() => _inventory.HoldForCartAsync(" ", Cart(1), Duration.FromMinutes(1)))).ParamName);
        Assert.Empty(await _inventory.GetLedgerAsync());
    }
}
