using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NodaTime;
using NodaTime.Extensions;
using OrderKit.Events;
using OrderKit.Orders;
using OrderKit.Persistence;

namespace OrderKit;

/// <summary>Registers OrderKit in a host's service collection.</summary>
public static class OrderKitServiceCollectionExtensions
{
    /// <summary>Adds OrderKit: the order service, the outbox relay, and defaults for the clock and the store.</summary>
    /// <remarks>
    /// <para>Registered as singletons: <see cref="OrderKitOptions"/>, <see cref="OrderService"/>,
    /// <see cref="OutboxRelay"/>. Defaults are added only when the host has not registered its own (TryAdd), so a
    /// registration made before or after wins: an <see cref="IClock"/> (by default the host's
    /// <see cref="TimeProvider"/> as a NodaTime clock, else the system clock) and an <see cref="IOrderKitStore"/> (by
    /// default <see cref="InMemoryOrderKitStore"/>).</para>
    /// <para>The options are checked here: a bad value throws now, naming the option, not at the first order.
    /// Calling <c>AddOrderKit</c> again applies the new configuration to the same options and checks them again.</para>
    /// </remarks>
    /// <param name="services">The host's services.</param>
    /// <param name="configure">Sets options; optional.</param>
    /// <returns>A builder to add event handlers and choose a store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static OrderKitBuilder AddOrderKit(this IServiceCollection services, Action<OrderKitOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OrderKitOptions options = services.FirstOrDefault(d => d.ServiceType == typeof(OrderKitOptions))?.ImplementationInstance as OrderKitOptions
            ?? new OrderKitOptions();
        configure?.Invoke(options);
        options.Validate();

        services.TryAddSingleton(options);
        services.TryAddSingleton<IClock>(static sp => (sp.GetService<TimeProvider>() ?? TimeProvider.System).ToClock());
        services.TryAddSingleton<IOrderKitStore>(static sp => new InMemoryOrderKitStore(sp.GetRequiredService<IClock>()));
        services.TryAddSingleton(static sp => new Inventory.InventoryService(
            sp.GetRequiredService<IOrderKitStore>(),
            sp.GetRequiredService<IClock>(),
            Options(sp)));
        services.TryAddSingleton(static sp => new OrderService(
            sp.GetRequiredService<IOrderKitStore>(),
            sp.GetRequiredService<IClock>(),
            Options(sp),
            sp.GetRequiredService<Inventory.InventoryService>()));
        services.TryAddSingleton(static sp => new Shipping.CarrierRegistry(sp.GetServices<Shipping.ICarrierAdapter>(), Options(sp).TransitCalendar));
        services.TryAddSingleton(static sp => sp.GetService<Payments.IPaymentGateway>() is { } gateway
            ? new Payments.PaymentService(sp.GetRequiredService<IOrderKitStore>(), sp.GetRequiredService<IClock>(), Options(sp), gateway)
            : throw new InvalidOperationException("PaymentService needs an IPaymentGateway: register one with builder.UsePaymentGateway(…)."));
        services.TryAddSingleton(static sp => new Fulfillment.FulfillmentService(
            sp.GetRequiredService<IOrderKitStore>(),
            sp.GetRequiredService<IClock>(),
            Options(sp),
            sp.GetRequiredService<Shipping.CarrierRegistry>(),
            sp.GetService<Payments.IPaymentGateway>() is null ? null : sp.GetRequiredService<Payments.PaymentService>(),
            sp.GetService<Fulfillment.IBinLocator>()));
        services.TryAddSingleton(static sp => new Returns.ReturnService(
            sp.GetRequiredService<IOrderKitStore>(),
            sp.GetRequiredService<IClock>(),
            Options(sp),
            sp.GetService<Payments.IPaymentGateway>() is null ? null : sp.GetRequiredService<Payments.PaymentService>(),
            sp.GetRequiredService<Shipping.CarrierRegistry>()));
        services.TryAddSingleton(static sp => new Insights.ReplenishmentAdvisor(
            sp.GetRequiredService<Inventory.InventoryService>(),
            sp.GetRequiredService<IClock>()));
        services.TryAddSingleton(static sp => new OutboxRelay(
            sp.GetRequiredService<IOrderKitStore>(),
            sp.GetServices<IOrderEventHandler>(),
            Options(sp),
            sp.GetService<TimeProvider>()));
        return new OrderKitBuilder(services);
    }

    /// <summary>The options, with the host's logger factory when they have none.</summary>
    private static OrderKitOptions Options(IServiceProvider sp)
    {
        OrderKitOptions options = sp.GetRequiredService<OrderKitOptions>();
        if (options.LoggerFactory is null && sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>() is { } factory)
        {
            options.LoggerFactory = factory;
        }

        return options;
    }
}
