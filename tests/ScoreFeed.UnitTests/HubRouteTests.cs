using Microsoft.AspNetCore.Http;
using ScoreFeed.Hub.Transport;

namespace ScoreFeed.UnitTests;

public sealed class HubRouteTests
{
    [Theory]
    [InlineData("/hubs/scores", nameof(HubRequest.Connect))]
    [InlineData("/hubs/scores/", nameof(HubRequest.Connect))]
    [InlineData("/HUBS/scores", nameof(HubRequest.Connect))]
    [InlineData("/Hubs/Scores/", nameof(HubRequest.Connect))]
    [InlineData("/hubs/scores/negotiate", nameof(HubRequest.Negotiate))]
    [InlineData("/hubs/scores/Negotiate", nameof(HubRequest.Negotiate))]
    [InlineData("/HUBS/SCORES/NEGOTIATE/", nameof(HubRequest.Negotiate))]
    [InlineData("/hubs/scores/other", nameof(HubRequest.Other))]
    [InlineData("/hubs/scoresx", nameof(HubRequest.None))]
    [InlineData("/hubs", nameof(HubRequest.None))]
    [InlineData("/api/v1/matches", nameof(HubRequest.None))]
    [InlineData("", nameof(HubRequest.None))]
    public void Every_spelling_routing_sends_to_the_hub_is_classified_alike(string path, string expected) =>
        Assert.Equal(Enum.Parse<HubRequest>(expected), HubRoute.Classify(new PathString(path.Length == 0 ? null : path)));

    [Theory]
    [InlineData("/hubs/scores", true)]
    [InlineData("/HUBS/Scores/", true)]
    [InlineData("/hubs/scores/negotiate", false)]
    [InlineData("/hubs/%73cores", false)]
    public void The_raw_handshake_path_is_the_hub_in_any_case(string raw, bool expected) =>
        Assert.Equal(expected, HubRoute.IsConnect(System.Text.Encoding.ASCII.GetBytes(raw)));
}
