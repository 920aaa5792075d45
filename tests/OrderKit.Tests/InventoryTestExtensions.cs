using NodaTime;
using OrderKit.Allocation;
using OrderKit.Inventory;
using OrderKit.Persistence;

namespace OrderKit.Tests;

/// <summary>Blocking shorthands for arranging stock in tests and properties; the in-memory store completes at once.</summary>
internal static class InventoryTestExtensions
{
    public static InventoryService NewInventory(IClock? clock = null, OrderKitOptions? options = null) =>
        new(new InMemoryOrderKitStore(clock ??= TestValues.NewClock()), clock, options ?? new OrderKitOptions());

    public static void AddLocation(this InventoryService inventory, StockLocation location) => inventory.AddLocationAsync(location).GetAwaiter().GetResult();

    public static void UpdateLocation(this InventoryService inventory, StockLocation location) => inventory.UpdateLocationAsync(location).GetAwaiter().GetResult();

    public static void SetPolicy(this InventoryService inventory, Sku sku, InventoryPolicy policy) => inventory.SetPolicyAsync(sku, policy).GetAwaiter().GetResult();

    public static StockMovement Receive(this InventoryService inventory, Sku sku, LocationId location, Quantity quantity) =>
        inventory.ReceiveAsync(sku, location, quantity).GetAwaiter().GetResult();

    public static void ExpectIncoming(this InventoryService inventory, Sku sku, LocationId location, Quantity quantity, LocalDate on) =>
        inventory.ExpectIncomingAsync(sku, location, quantity, on).GetAwaiter().GetResult();

    public static AllocationPlan Plan(this InventoryService inventory, AllocationRequest request) => inventory.PlanAsync(request).GetAwaiter().GetResult();

    public static StockLevel GetLevel(this InventoryService inventory, Sku sku, LocationId location) => inventory.GetLevelAsync(sku, location).GetAwaiter().GetResult();
}
