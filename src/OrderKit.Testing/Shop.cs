using NodaTime.Testing;
using OrderKit.Inventory;
using OrderKit.Orders;
using OrderKit.Shipping;
using OrderKit.Persistence;

namespace OrderKit.Testing;

/// <summary>A small shop over the store under test: two warehouses, three SKUs, the services, and the check's assertions.</summary>
internal sealed class Shop
{
    public static readonly LocationId A = new("WH-A");
    public static readonly LocationId B = new("WH-B");
    public static readonly Sku Mug = new("MUG-RED");
    public static readonly Sku Tee = new("TEE-M-BLUE");
    public static readonly Sku Cap = new("CAP-ONE");
    public static readonly SalesChannel Web = new("web");

    public Shop(string check, IOrderKitStore store, FakeClock clock, CancellationToken cancellationToken)
    {
        Check = check;
        Store = store;
        Clock = clock;
        Token = cancellationToken;
        Options = new OrderKitOptions { MaxConcurrencyRetries = 20 };
        Inventory = new InventoryService(store, clock, Options);
        Orders = new OrderService(store, clock, Options, Inventory);
    }

    public string Check { get; }

    public IOrderKitStore Store { get; }

    public FakeClock Clock { get; }

    public CancellationToken Token { get; }

    public OrderKitOptions Options { get; }

    public InventoryService Inventory { get; }

    public OrderService Orders { get; }

    public static Address Berlin => new("Ada Lovelace", "Unter den Linden 1", "Berlin", "10117", "DE");

    public async Task SetUpAsync()
    {
        await Inventory.AddLocationAsync(new StockLocation(A, "Warehouse A") { Rank = 1 }, Token).ConfigureAwait(false);
        await Inventory.AddLocationAsync(new StockLocation(B, "Warehouse B") { Rank = 2 }, Token).ConfigureAwait(false);
    }

    public static PlaceOrderRequest Request(params (Sku Sku, int Quantity)[] lines) => Request(null, lines);

    public static PlaceOrderRequest Request(ShippingMethod? method, params (Sku Sku, int Quantity)[] lines) => new()
    {
        ShippingMethod = method,
        CustomerId = new CustomerId("cus_1"),
        Channel = Web,
        ShippingAddress = Berlin,
        Currency = Currency.EUR,
        Lines = [.. lines.Select(l => new PlaceOrderLine(l.Sku, new Quantity(l.Quantity), new Money(12.50m, Currency.EUR)))],
    };

    public async Task<Order> ConfirmedAsync(params (Sku Sku, int Quantity)[] lines)
    {
        PlaceOrderResult placed = await Orders.PlaceAsync(Request(lines), cancellationToken: Token).ConfigureAwait(false);
        return await Orders.ConfirmPaymentAsync(placed.Order.Id, placed.Order.Total, Token).ConfigureAwait(false);
    }

    /// <summary>Runs something in its own transaction and commits.</summary>
    public async Task<T> InTransactionAsync<T>(Func<IOrderKitTransaction, Task<T>> work)
    {
        IOrderKitTransaction transaction = await Store.BeginTransactionAsync(Token).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            T result = await work(transaction).ConfigureAwait(false);
            await transaction.CommitAsync(Token).ConfigureAwait(false);
            return result;
        }
    }

    /// <summary>Reads something in its own transaction, which is then disposed without a commit.</summary>
    public async Task<T> ReadAsync<T>(Func<IOrderKitTransaction, Task<T>> read)
    {
        IOrderKitTransaction transaction = await Store.BeginTransactionAsync(Token).ConfigureAwait(false);
        await using (transaction.ConfigureAwait(false))
        {
            return await read(transaction).ConfigureAwait(false);
        }
    }

    public void Expect(bool condition, string detail)
    {
        if (!condition)
        {
            throw new ConformanceException(Check, detail);
        }
    }

    public void ExpectEqual<T>(T expected, T actual, string what)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new ConformanceException(Check, $"{what}: expected {expected}, found {actual}.");
        }
    }

    /// <summary>Expects a conflict: the store may report it at the write or at the commit.</summary>
    public async Task ExpectConflictAsync(Func<Task> work, string what)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (ConcurrencyConflictException)
        {
            return;
        }

        throw new ConformanceException(Check, $"{what}: expected {nameof(ConcurrencyConflictException)}, but the unit of work committed.");
    }

    public async Task<StockLevel> LevelAsync(Sku sku, LocationId location) =>
        await Inventory.GetLevelAsync(sku, location, Token).ConfigureAwait(false);
}
