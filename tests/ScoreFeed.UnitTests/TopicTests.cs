using ScoreFeed.Contract;

namespace ScoreFeed.UnitTests;

public sealed class TopicTests
{
    [Theory]
    [InlineData("live", TopicKind.Live, null)]
    [InlineData("match:abc_DEF-123", TopicKind.Match, "abc_DEF-123")]
    [InlineData("competition:sim-premier", TopicKind.Competition, "sim-premier")]
    [InlineData("standings:sim-premier", TopicKind.Standings, "sim-premier")]
    public void Valid_topics_parse_and_print_back(string text, TopicKind kind, string? id)
    {
        Assert.True(Topic.TryParse(text, out var topic, out var error));
        Assert.Equal("", error);
        Assert.Equal(kind, topic.Kind);
        Assert.Equal(id, topic.Id);
        Assert.Equal(text, topic.Name);
    }

    [Theory]
    [InlineData(null, "empty topic")]
    [InlineData("", "empty topic")]
    [InlineData("Live", "unknown topic")]
    [InlineData("team:x", "unknown topic")]
    [InlineData("match:", "invalid id")]
    [InlineData("match:a b", "invalid id")]
    [InlineData("match:a/b", "invalid id")]
    [InlineData("match:é", "invalid id")]
    [InlineData("competition:x\n", "invalid id")]
    [InlineData("standings:", "invalid id")]
    [InlineData("standings:standings:x", "invalid id")]
    public void Invalid_topics_say_why(string? text, string reason)
    {
        Assert.False(Topic.TryParse(text, out _, out var error));
        Assert.Contains(reason, error);
    }

    [Fact]
    public void Ids_are_at_most_64_characters_of_the_allowed_set()
    {
        Assert.True(Ids.IsValid(new string('a', 64)));
        Assert.False(Ids.IsValid(new string('a', 65)));
        Assert.False(Ids.IsValid(null));
        Assert.False(Ids.IsValid("abc\n"));
        Assert.Equal(81, Ids.Describe(new string('a', 200)).Length);
    }
}
