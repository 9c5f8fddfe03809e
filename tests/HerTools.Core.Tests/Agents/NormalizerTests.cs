using HerTools.Core.Agents;

namespace HerTools.Core.Tests.Agents;

public class NormalizerTests
{
    // Rows (obs 1 value, goal 1 value): obs 1, 3, 5 -> mean 3, variance (4 + 0 + 4) / 3 = 8/3; goal constant 10.
    private static readonly float[] Rows = [1f, 10f, 3f, 10f, 5f, 10f];
    private static readonly double Std0 = Math.Sqrt(8.0 / 3.0);

    [Fact]
    public void Mean_and_std_match_hand_computed_values()
    {
        var normalizer = new Normalizer(2);
        normalizer.Update(Rows);

        Assert.Equal(3, normalizer.Count);
        Assert.Equal(3f, normalizer.Mean[0]);
        Assert.Equal(10f, normalizer.Mean[1]);
        Assert.Equal((float)Std0, normalizer.Std[0], 6);
        // A constant component has variance 0: the std is floored at epsilon.
        Assert.Equal(0.01f, normalizer.Std[1]);
    }

    [Fact]
    public void Normalize_subtracts_the_mean_divides_by_the_std_and_clips()
    {
        var normalizer = new Normalizer(2, clipRange: 5f, epsilon: 0.01f);
        normalizer.Update(Rows);
        float[] values = [4f, 10f, 10f, 10.5f, 20f, 9.99f];
        var normalized = new float[6];

        normalizer.Normalize(values, normalized);

        Assert.Equal((float)(1 / Std0), normalized[0], 5);       // 0.612
        Assert.Equal(0f, normalized[1]);
        Assert.Equal((float)(7 / Std0), normalized[2], 5);       // 4.287, inside the range
        Assert.Equal(5f, normalized[3]);                          // 0.5 / 0.01 = 50, clipped
        Assert.Equal(5f, normalized[4]);                          // 17 / 1.633 = 10.4, clipped
        Assert.Equal(-1f, normalized[5], 3);                      // -0.01 / 0.01
    }

    [Fact]
    public void Before_any_data_it_is_the_identity_up_to_the_clip()
    {
        var normalizer = new Normalizer(1, clipRange: 5f);
        var normalized = new float[3];

        normalizer.Normalize([0.5f, -2f, 7f], normalized);

        Assert.Equal([0.5f, -2f, 5f], normalized);
    }

    [Fact]
    public void Row_variants_read_and_write_only_their_columns()
    {
        // Rows of 3: [junk, goal, junk]; the normaliser owns column 1.
        float[] rows = [100f, 1f, -100f, 200f, 3f, -200f, 300f, 5f, -300f];
        var normalizer = new Normalizer(1);
        normalizer.Update(rows, rowWidth: 3, columnOffset: 1);
        var destination = new float[9];
        Array.Fill(destination, 42f);

        normalizer.Normalize(rows, destination, rowWidth: 3, columnOffset: 1);

        Assert.Equal(3f, normalizer.Mean[0]);
        Assert.Equal((float)Std0, normalizer.Std[0], 6);
        Assert.Equal(42f, destination[0]);
        Assert.Equal((float)(-2 / Std0), destination[1], 5);
        Assert.Equal(42f, destination[2]);
        Assert.Equal(42f, destination[6]);
        Assert.Equal((float)(2 / Std0), destination[7], 5);
    }

    [Fact]
    public void Statistics_accumulate_over_updates_as_one_pass_would()
    {
        var once = new Normalizer(2);
        once.Update(Rows);
        var split = new Normalizer(2);
        split.Update(Rows.AsSpan(0, 2));
        split.Update(Rows.AsSpan(2, 4));

        Assert.Equal(once.Count, split.Count);
        Assert.Equal(once.Mean, split.Mean);
        Assert.Equal(once.Std, split.Std);
    }

    [Fact]
    public void State_round_trips_exactly()
    {
        var normalizer = new Normalizer(2);
        normalizer.Update([0.1f, 0.2f, 0.7f, -0.3f, 1e-3f, 5f]);
        using var stream = new MemoryStream();
        normalizer.WriteState(new BinaryWriter(stream));
        stream.Position = 0;

        var restored = new Normalizer(2);
        restored.ReadState(new BinaryReader(stream));

        Assert.Equal(normalizer.Count, restored.Count);
        Assert.Equal(normalizer.Mean, restored.Mean);
        Assert.Equal(normalizer.Std, restored.Std);
    }

    [Fact]
    public void Rows_that_do_not_hold_its_columns_are_refused()
    {
        var normalizer = new Normalizer(2);
        Assert.Throws<ArgumentException>(() => normalizer.Update(new float[6], rowWidth: 3, columnOffset: 2));
        Assert.Throws<ArgumentException>(() => normalizer.Update(new float[5], rowWidth: 3, columnOffset: 0));
    }
}
