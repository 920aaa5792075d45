using OrderKit.Persistence;
using OrderKit.Testing;

namespace OrderKit.Tests.Persistence;

/// <summary>The in-memory store keeps the whole store contract.</summary>
public sealed class InMemoryStoreConformanceTests
{
    private static readonly StoreConformance s_suite = new((clock, _) => ValueTask.FromResult<IOrderKitStore>(new InMemoryOrderKitStore(clock)));

    public static TheoryData<string> Checks => [.. StoreConformance.CheckNames];

    [Theory]
    [MemberData(nameof(Checks))]
    public Task InMemoryStore_KeepsTheContract(string check) => s_suite.RunAsync(check);
}
