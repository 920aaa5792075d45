using NodaTime;
using OrderKit.Events;
using OrderKit.Insights;
using OrderKit.Inventory;
using OrderKit.Persistence;
using OrderKit.Shipping;

namespace OrderKit.Samples.Storefront;

/// <summary>Builds the storefront: OrderKit on SQLite, a flat-rate carrier, insights, the outbox relay as a hosted service, and the HTTP API.</summary>
public static class StorefrontApp
{
    /// <summary>The warehouse the sample stocks on first start.</summary>
    public static readonly LocationId Warehouse = new("BER");

    /// <summary>Builds the app; <c>ConnectionStrings:OrderKit</c> names the SQLite database (<c>storefront.db</c> unless set), <c>Storefront:WebhookSecret</c> the secret carriers sign their webhooks with, <c>Storefront:StaffKey</c> the key the staff actions require.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="configure">Changes to the builder before the app is built (tests set the URL and the database here).</param>
    /// <returns>The app, not started.</returns>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        string database = builder.Configuration.GetConnectionString("OrderKit") ?? "Data Source=storefront.db";

        // Insights over the orders placed this year (in Berlin), loaded from the store at start and kept current by the
        // outbox relay.
        DateTimeZone berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
        int year = SystemClock.Instance.GetCurrentInstant().InZone(berlin).Year;
        var insights = new OrderInsights(berlin.AtStartOfDay(new LocalDate(year, 1, 1)).ToInstant(), berlin.AtStartOfDay(new LocalDate(year + 1, 1, 1)).ToInstant(), berlin);
        builder.Services.AddSingleton(insights);
        builder.Services
            .AddOrderKit(options => options.TimeZone = berlin)
            .UseSqlite(database)
            .AddCarrier(new FlatRateCarrier("post", [new FlatRateService("standard", new Money(4.90m, Currency.EUR), 2)], new TrackingUrlTemplate("https://post.example/track/{trackingNumber}")))
            .AddEventHandler(insights);
        builder.Services.AddSingleton(new WebhookSignature(builder.Configuration["Storefront:WebhookSecret"]));
        string? staffKey = builder.Configuration["Storefront:StaffKey"];
        builder.Services.AddAuthentication(StaffKey.Scheme).AddScheme<StaffKeyOptions, StaffKeyHandler>(StaffKey.Scheme, o => o.Key = staffKey);
        builder.Services.AddAuthorizationBuilder().AddPolicy(StaffKey.Policy, policy => policy.RequireRole(StaffKey.Policy));
        builder.Services.AddHostedService<OutboxRelayService>();
        builder.Services.AddOpenApi();
        builder.Services.AddProblemDetails();

        WebApplication app = builder.Build();
        app.UseMiddleware<ErrorMapping>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapOpenApi();
        app.MapStorefront();
        return app;
    }

    /// <summary>Makes sure the warehouse exists; the sample's first start stocks it.</summary>
    internal static async Task EnsureWarehouseAsync(InventoryService inventory, CancellationToken cancellationToken)
    {
        if (!(await inventory.GetLocationsAsync(cancellationToken)).Any(l => l.Id == Warehouse))
        {
            await inventory.AddLocationAsync(new StockLocation(Warehouse, "Berlin warehouse") { CutOff = new LocalTime(15, 0) }, cancellationToken);
        }
    }
}

/// <summary>Loads the insights from the store at start, then runs the outbox relay for the life of the host, delivering committed events to the handlers (insights among them).</summary>
internal sealed class OutboxRelayService(OutboxRelay relay, OrderInsights insights, IOrderKitStore store) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The host waits for this before its start completes, so the figures are whole from the first request served
        // after it; the relay's deliveries of the same events count once.
        await insights.LoadAsync(store, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => relay.RunAsync(stoppingToken);
}
