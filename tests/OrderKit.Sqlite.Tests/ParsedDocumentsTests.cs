using OrderKit.Persistence.Sql;

namespace OrderKit.Sqlite.Tests;

/// <summary>The cache of parsed location and policy documents the SQL stores share.</summary>
public sealed class ParsedDocumentsTests
{
    private readonly List<string> _parsed = [];

    private ParsedDocuments<string> Documents(int maxEntries) => new((key, document) =>
    {
        _parsed.Add(key);
        return key + ":" + document;
    }, maxEntries);

    [Fact]
    public void TheSameDocument_IsParsedOnce_AndGivesTheSameValue()
    {
        ParsedDocuments<string> documents = Documents(maxEntries: 10);

        string first = documents.Read("a", "{1}");

        Assert.Same(first, documents.Read("a", "{1}"));
        Assert.Equal(["a"], _parsed);
    }

    [Fact]
    public void AChangedDocument_IsParsedAgain_AndReplacesTheEntry()
    {
        ParsedDocuments<string> documents = Documents(maxEntries: 10);
        documents.Read("a", "{1}");

        Assert.Equal("a:{2}", documents.Read("a", "{2}"));
        Assert.Equal("a:{2}", documents.Read("a", "{2}"));
        Assert.Equal(["a", "a"], _parsed);
    }

    [Fact]
    public void PastTheBound_NewKeysAreParsedEachTime_WhileKeptOnesStayKeptAndFollowChanges()
    {
        ParsedDocuments<string> documents = Documents(maxEntries: 2);
        documents.Read("a", "{1}");
        documents.Read("b", "{1}");

        Assert.Equal("c:{1}", documents.Read("c", "{1}"));
        Assert.Equal("c:{1}", documents.Read("c", "{1}"));
        documents.Read("a", "{1}");
        Assert.Equal("b:{2}", documents.Read("b", "{2}"));
        documents.Read("b", "{2}");

        Assert.Equal(["a", "b", "c", "c", "b"], _parsed);
    }
}
