using ScoreFeed.Contract;

namespace ScoreFeed.Ingest.Simulator;

/// <summary>The simulator's fictional competitions and teams (for tennis, players; <see cref="BestOf"/> 3 or 5 sets).</summary>
internal sealed record SimCompetition(string Id, string Sport, string[] Teams, int BestOf = 3)
{
    public static readonly SimCompetition[] All =
    [
        new("sim-premier", Sports.Football,
            ["Northbridge FC", "Riverside United", "Kingsport Athletic", "Harbour City", "Eastvale Rovers", "Westmoor Town", "Castleford Albion", "Millbrook Wanderers"]),
        new("sim-liga", Sports.Football,
            ["Real Solana", "Atlético Brisa", "CD Montaña", "Sporting Lumen", "Valle Verde CF", "Deportivo Sol", "Unión Marina", "Racing Alto"]),
        new("sim-hoops", Sports.Basketball,
            ["Metro Comets", "Bay Hawks", "Desert Suns", "Lake Pilots", "Capital Wolves", "Coast Breakers", "Summit Owls", "Prairie Storm"]),
        new("sim-euro-basket", Sports.Basketball,
            ["Aurora Baskets", "Dynamo Vela", "Olympia Nord", "Partizan Sud", "Zenit Alba", "Union Rhein", "Panthers Lyra", "Virtus Delta"]),
        new("sim-tour", Sports.Tennis,
            ["Mara Lindqvist", "Sofia Reyes", "Hana Sato", "Claire Dubois", "Ana Ferreira", "Lena Kowalczyk", "Ivy Mensah", "Nora Petrova"]),
        new("sim-slam", Sports.Tennis,
            ["Jonas Brandt", "Mateo Ruiz", "Kenji Mori", "Luca Bianchi", "Tom Hollis", "Pavel Novak", "Amir Haddad", "Erik Solberg"], BestOf: 5),
    ];
}
