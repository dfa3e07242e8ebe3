using ScoreFeed.Hub.Transport;

namespace ScoreFeed.UnitTests;

public sealed class FrameBufferPoolTests
{
    [Theory]
    [InlineData(1, 1024)]
    [InlineData(1024, 1024)]
    [InlineData(1025, 2048)]
    [InlineData(9000, 16384)]
    [InlineData(16384, 16384)]
    public void A_buffer_is_the_smallest_size_class_that_holds_the_request(int size, int expected) =>
        Assert.Equal(expected, new FrameBufferPool().Rent(size).Length);

    [Fact]
    public void A_returned_buffer_is_rented_again_instead_of_a_new_one()
    {
        var pool = new FrameBufferPool();
        var first = pool.Rent(500);
        pool.Return(first);
        Assert.Equal((1, 1024L), pool.Held());

        Assert.Same(first, pool.Rent(700));
        Assert.Equal((0, 0L), pool.Held());
    }

    [Fact]
    public void Buffers_past_the_largest_class_come_from_the_shared_pool_and_are_not_held()
    {
        var pool = new FrameBufferPool();
        var large = pool.Rent(FrameBufferPool.MaxPooled + 1);
        Assert.True(large.Length > FrameBufferPool.MaxPooled);
        pool.Return(large);
        Assert.Equal((0, 0L), pool.Held());
    }

    [Fact]
    public void As_many_buffers_are_kept_as_were_out_at_once()
    {
        var pool = new FrameBufferPool();
        var out1 = Enumerable.Range(0, 5000).Select(_ => pool.Rent(600)).ToList();
        out1.ForEach(pool.Return);
        var out2 = Enumerable.Range(0, 5000).Select(_ => pool.Rent(600)).ToList();

        Assert.Equal(out1.ToHashSet(), out2.ToHashSet());
    }

    [Fact]
    public void A_trim_lets_go_of_the_buffers_nobody_needed_since_the_trim_before()
    {
        var pool = new FrameBufferPool();
        var buffers = Enumerable.Range(0, 4).Select(_ => pool.Rent(600)).ToList();
        buffers.ForEach(pool.Return);
        pool.Trim();
        // Since that trim at most one was out at a time: three were not needed.
        pool.Return(pool.Rent(600));
        pool.Trim();
        Assert.Equal(1, pool.Held().Buffers);
        // None needed since: the last goes too.
        pool.Trim();
        Assert.Equal(0, pool.Held().Buffers);
    }
}
