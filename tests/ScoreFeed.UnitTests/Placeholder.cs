namespace ScoreFeed.UnitTests;
