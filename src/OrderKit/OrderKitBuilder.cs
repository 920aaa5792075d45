using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OrderKit.Events;
using OrderKit.Persistence;

namespace OrderKit;

/// <summary>Configures OrderKit after <see cref="OrderKitServiceCollectionExtensions.AddOrderKit"/>: event handlers, the store.</summary>
/// <remarks>
/// <para>Store and carrier packages add their own extension methods to this builder, such as <c>UseSqlite</c>.</para>
/// <para>Thread safety: use it while building the host, from one thread.</para>
/// </remarks>
public sealed class OrderKitBuilder
{
    internal OrderKitBuilder(IServiceCollection services) => Services = services;

    /// <summary>Gets the host's services, for extension methods of other packages.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds an event handler, created by the container as a singleton; adding the same type twice adds it once.</summary>
    /// <typeparam name="THandler">The handler type.</typeparam>
    /// <returns>This builder.</returns>
    public OrderKitBuilder AddEventHandler<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>()
        where THandler : class, IOrderEventHandler
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IOrderEventHandler, THandler>());
        return this;
    }

    /// <summary>Adds an event handler instance.</summary>
    /// <param name="handler">The handler.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    public OrderKitBuilder AddEventHandler(IOrderEventHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Services.AddSingleton(handler);
        return this;
    }

    /// <summary>Adds a carrier; <see cref="Shipping.CarrierRegistry"/> finds it by its code.</summary>
    /// <param name="carrier">The carrier, such as a <see cref="Shipping.FlatRateCarrier"/>.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="carrier"/> is null.</exception>
    public OrderKitBuilder AddCarrier(Shipping.ICarrierAdapter carrier)
    {
        ArgumentNullException.ThrowIfNull(carrier);
        Services.AddSingleton(carrier);
        return this;
    }

    /// <summary>Adds a carrier built by DI, such as one with a typed <c>HttpClient</c>.</summary>
    /// <typeparam name="TCarrier">The carrier's type.</typeparam>
    /// <returns>This builder.</returns>
    public OrderKitBuilder AddCarrier<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TCarrier>()
        where TCarrier : class, Shipping.ICarrierAdapter
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<Shipping.ICarrierAdapter, TCarrier>());
        return this;
    }

    /// <summary>Uses a payment provider: <see cref="Payments.PaymentService"/> becomes available, and shipments capture what they are worth.</summary>
    /// <param name="gateway">The provider's adapter.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="gateway"/> is null.</exception>
    public OrderKitBuilder UsePaymentGateway(Payments.IPaymentGateway gateway)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        Services.Replace(ServiceDescriptor.Singleton(gateway));
        return this;
    }

    /// <summary>Replaces the store with one made by a factory.</summary>
    /// <param name="factory">Makes the store, once, from the container.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public OrderKitBuilder UseStore(Func<IServiceProvider, IOrderKitStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }
}
