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
