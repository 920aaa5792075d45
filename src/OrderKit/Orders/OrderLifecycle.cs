namespace OrderKit.Orders;

/// <summary>Describes the order lifecycle that <see cref="Order"/> follows.</summary>
public static class OrderLifecycle
{
    /// <summary>Returns the order status lifecycle as a Mermaid state diagram, generated from the definition the code runs.</summary>
    /// <remarks>Each edge is labelled with its action and the guards it needs; choice nodes show where the line quantities decide the next status.</remarks>
    /// <returns>The diagram's Mermaid source, starting with <c>stateDiagram-v2</c>.</returns>
    public static string ToMermaidDiagram() => OrderLifecycleDefinition.ToMermaid();
}
