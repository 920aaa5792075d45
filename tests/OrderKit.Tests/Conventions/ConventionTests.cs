using System.Reflection;
using System.Runtime.CompilerServices;
using OrderKit.Orders;

namespace OrderKit.Tests.Conventions;

/// <summary>Reflection checks that keep the public surface to the house style.</summary>
public sealed class ConventionTests
{
    private static readonly Type[] s_public = [.. typeof(Order).Assembly.GetExportedTypes()];

    /// <summary>Public types whose tests live in the test class of a closely related type.</summary>
    private static readonly Dictionary<Type, string> s_testedWith = new()
    {
        [typeof(OrderKit.Events.OutboxDeliveryFailure)] = nameof(Tests.Events.OutboxDeliveryResultTests),
        [typeof(OrderKit.Shipping.AddressValidationResult)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Shipping.CarrierException)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Shipping.ShippingMethod)] = nameof(Tests.Shipping.DeliveryPromiseTests),
        [typeof(OrderKit.Returns.InvalidReturnTransitionException)] = nameof(Tests.Returns.ReturnRequestTests),
        [typeof(OrderKit.Returns.ReturnLine)] = nameof(Tests.Returns.ReturnRequestTests),
        [typeof(OrderKit.Returns.Claim)] = nameof(Tests.Returns.ReturnRequestTests),
        [typeof(OrderKit.Insights.DurationStatistics)] = nameof(Tests.Insights.OrderInsightsTests),
        [typeof(OrderKit.Insights.InsightsReport)] = nameof(Tests.Insights.OrderInsightsTests),
        [typeof(OrderKit.Insights.ReplenishmentAdvice)] = nameof(Tests.Insights.ReplenishmentAdvisorTests),
        [typeof(OrderKit.Insights.ReplenishmentPolicy)] = nameof(Tests.Insights.ReplenishmentAdvisorTests),
        [typeof(OrderKit.Insights.StockRunningLow)] = nameof(Tests.Insights.ReplenishmentAdvisorTests),
        [typeof(OrderKit.Returns.ReturnReasons)] = nameof(Tests.Returns.ReturnRequestTests),
        [typeof(OrderKit.Returns.ReturnReceipt)] = nameof(Tests.Returns.ReturnRequestTests),
        [typeof(OrderKit.Returns.ReturnResolution)] = nameof(Tests.Returns.ReturnRequestTests),
        [typeof(OrderKit.Returns.RefundQuoteLine)] = nameof(Tests.Returns.RefundQuoteTests),
        [typeof(OrderKit.Shipping.FlatRateCarrier)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Shipping.FlatRateService)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Shipping.LabelRequest)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Shipping.ManualCarrier)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Shipping.RateRequest)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Shipping.RateSelection)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Shipping.ReturnLabelRequest)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Shipping.ShippingRate)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Shipping.ShippingZone)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Shipping.TableRateCarrier)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Shipping.TrackingUrlTemplate)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Shipping.WeightBracketRate)] = nameof(Tests.Shipping.CarrierRegistryTests),
        [typeof(OrderKit.Fulfillment.Parcel)] = nameof(Tests.Fulfillment.ShipmentTests),
        [typeof(OrderKit.Fulfillment.ParcelDimensions)] = nameof(Tests.Fulfillment.ShipmentTests),
        [typeof(OrderKit.Fulfillment.ShipmentLine)] = nameof(Tests.Fulfillment.ShipmentTests),
        [typeof(OrderKit.Fulfillment.ShippingLabel)] = nameof(Tests.Fulfillment.ShipmentTests),
        [typeof(OrderKit.Fulfillment.TrackingUpdate)] = nameof(Tests.Fulfillment.ShipmentTests),
        [typeof(OrderKit.Fulfillment.InvalidShipmentTransitionException)] = nameof(Tests.Fulfillment.ShipmentTests),
        [typeof(OrderKit.Fulfillment.PickList)] = nameof(Tests.Fulfillment.FulfillmentServiceTests),
        [typeof(OrderKit.Fulfillment.PickListLine)] = nameof(Tests.Fulfillment.FulfillmentServiceTests),
        [typeof(OrderKit.Fulfillment.PackingSlip)] = nameof(Tests.Fulfillment.FulfillmentServiceTests),
        [typeof(OrderKit.Fulfillment.TrackingResult)] = nameof(Tests.Fulfillment.FulfillmentServiceTests),
        [typeof(OrderKit.Fulfillment.CarrierTrackingEvent)] = nameof(Tests.Fulfillment.FulfillmentServiceTests),
        [typeof(OrderKit.Payments.PaymentResult)] = nameof(Tests.Payments.PaymentServiceTests),
        [typeof(OrderKit.Payments.PaymentGatewayException)] = nameof(Tests.Payments.PaymentServiceTests),
    };

    [Fact]
    public void EveryPublicType_HasATestClass()
    {
        // Enums are tested through the types that use them, interfaces (ports) through their implementations, and
        // the concrete events through OrderEventTests, which proves each one is recorded by some action.
        HashSet<string> testClasses = [.. typeof(ConventionTests).Assembly.GetTypes().Where(t => t.Name.EndsWith("Tests", StringComparison.Ordinal)).Select(t => t.Name)];
        string[] untested =
        [
            .. s_public
                .Where(t => !t.IsEnum && !t.IsInterface && !t.IsSubclassOf(typeof(OrderKit.Events.OrderEvent)))
                .Where(t => !testClasses.Contains(s_testedWith.GetValueOrDefault(t) ?? t.Name + "Tests"))
                .Select(t => t.FullName!),
        ];
        Assert.Empty(untested);
    }

    [Fact]
    public void PublicClasses_AreSealedAbstractOrStatic()
    {
        Type[] open = [.. s_public.Where(t => t.IsClass && !t.IsSealed && !t.IsAbstract)];
        Assert.Empty(open);
    }

    [Fact]
    public void PublicStructs_AreReadonly()
    {
        Type[] mutable = [.. s_public.Where(t => t.IsValueType && !t.IsEnum && t.GetCustomAttribute<IsReadOnlyAttribute>() is null)];
        Assert.Empty(mutable);
    }

    [Fact]
    public void Exceptions_AreSealed()
    {
        Assert.All(s_public.Where(t => typeof(Exception).IsAssignableFrom(t)), t => Assert.True(t.IsSealed, t.FullName));
    }

    [Fact]
    public void PublicApi_NeverMentionsStateless()
    {
        var offenders = new List<string>();
        foreach (Type type in s_public)
        {
            foreach (MemberInfo member in type.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            {
                IEnumerable<Type> types = member switch
                {
                    MethodInfo m => m.GetParameters().Select(p => p.ParameterType).Append(m.ReturnType),
                    PropertyInfo p => [p.PropertyType],
                    FieldInfo f => [f.FieldType],
                    ConstructorInfo c => c.GetParameters().Select(p => p.ParameterType),
                    EventInfo e => [e.EventHandlerType!],
                    _ => [],
                };
                if (types.Any(t => (t.Namespace ?? string.Empty).StartsWith("Stateless", StringComparison.Ordinal) || (t.IsGenericType && t.GetGenericArguments().Any(a => (a.Namespace ?? string.Empty).StartsWith("Stateless", StringComparison.Ordinal)))))
                {
                    offenders.Add($"{type.Name}.{member.Name}");
                }
            }

            if (type.BaseType?.Namespace?.StartsWith("Stateless", StringComparison.Ordinal) == true || type.GetInterfaces().Any(i => i.Namespace?.StartsWith("Stateless", StringComparison.Ordinal) == true))
            {
                offenders.Add(type.Name);
            }
        }

        Assert.Empty(offenders);
    }

    [Fact]
    public void Namespaces_MatchFolders()
    {
        string root = FindRepositoryRoot();
        foreach (Type type in s_public.Where(t => !t.IsNested))
        {
            string relative = type.Namespace == "OrderKit" ? string.Empty : type.Namespace!["OrderKit.".Length..].Replace('.', Path.DirectorySeparatorChar);
            string file = Path.Combine(root, "src", "OrderKit", relative, type.Name.Split('`')[0] + ".cs");
            Assert.True(File.Exists(file), $"{type.FullName} should live in {file}");
        }
    }

    private static string FindRepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "OrderKit.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("OrderKit.sln not found above the test output.");
    }
}
