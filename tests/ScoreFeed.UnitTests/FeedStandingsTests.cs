using System.Text;
using ScoreFeed.Ingest.Feeds.ApiFootball;
using ScoreFeed.Ingest.Feeds.FootballData;

namespace ScoreFeed.UnitTests;

/// <summary>The vendors' standings payloads (recorded from their documented shapes, Feeds/*-standings.json) read into the contract's table.</summary>
public sealed class FeedStandingsTests
{
    private static byte[] Recorded(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Feeds", name));

    [Fact]
    public void Each_vendor_asks_for_a_competitions_table_where_its_docs_say_and_names_the_competition_as_its_matches_do()
    {
        Assert.Equal(("v4/competitions/PL/standings", "fd-PL"), Request(new FootballDataFormat().StandingsRequest("PL")));
        Assert.Equal(("standings?league=39&season=2026", "af-39"), Request(new ApiFootballFormat().StandingsRequest("39:2026")));

        static (string Path, string CompetitionId) Request((ScoreFeed.Ingest.Feeds.FeedRequest Request, string CompetitionId) r) => (r.Request.PathAndQuery, r.CompetitionId);
    }

    [Fact]
    public void Football_data_reads_the_TOTAL_table_by_position_with_ids_that_join_its_matches()
    {
        var (table, error) = FootballDataStandings.Parse(Recorded("footballdata-standings.json"));

        Assert.Null(error);
        Assert.Equal(["fd-65", "fd-57", "fd-64"], table!.Rows.Select(r => r.TeamId));
        var city = table.Rows[0];
        Assert.Equal((1, "Manchester City FC", 13, 10, 1, 2, 30, 12, 31, "WWWDW"),
            (city.Position, city.Name, city.Played, city.Won, city.Drawn, city.Lost, city.GoalsFor, city.GoalsAgainst, city.Points, city.Form));
        Assert.Equal("", table.Rows[2].Form); // "form": null on some plans
        Assert.False(table.Live);
    }

    [Fact]
    public void Api_football_reads_the_first_table_of_the_league_with_ids_that_join_its_matches()
    {
        var (table, error) = ApiFootballStandings.Parse(Recorded("apifootball-standings.json"));

        Assert.Null(error);
        Assert.Equal(["af-50", "af-42"], table!.Rows.Select(r => r.TeamId));
        var arsenal = table.Rows[1];
        Assert.Equal((2, "Arsenal", 13, 9, 2, 2, 26, 10, 29, "WDWWL"),
            (arsenal.Position, arsenal.Name, arsenal.Played, arsenal.Won, arsenal.Drawn, arsenal.Lost, arsenal.GoalsFor, arsenal.GoalsAgainst, arsenal.Points, arsenal.Form));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"standings\":[]}")]
    [InlineData("{\"standings\":[{\"type\":\"TOTAL\",\"table\":[{\"position\":1,\"team\":{\"id\":65,\"name\":\"City\"}}]}]}")]
    [InlineData("{\"standings\":[{\"type\":\"TOTAL\",\"table\":[]}]}")]
    public void A_football_data_table_that_cannot_be_read_whole_is_refused_with_a_reason(string body)
    {
        var (table, error) = FootballDataStandings.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Null(table);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("{\"response\":[]}")]
    [InlineData("{\"response\":[{\"league\":{\"standings\":[]}}]}")]
    [InlineData("{\"response\":[{\"league\":{\"standings\":[[{\"rank\":1,\"team\":{\"id\":50,\"name\":\"City\"},\"points\":3}]]}}]}")]
    public void An_api_football_table_that_cannot_be_read_whole_is_refused_with_a_reason(string body)
    {
        var (table, error) = ApiFootballStandings.Parse(Encoding.UTF8.GetBytes(body));

        Assert.Null(table);
        Assert.False(string.IsNullOrEmpty(error));
    }
}
