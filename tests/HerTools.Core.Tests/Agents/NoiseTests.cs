using HerTools.Core.Agents;
using HerTools.Core.Randomness;

namespace HerTools.Core.Tests.Agents;

public class NoiseTests
{
    [Fact]
    public void Gaussian_draws_are_sigma_times_standard_normals_from_the_given_generator()
    {
        var noise = new GaussianNoise(2, sigma: 0.3, new Rng(7));
        var reference = new Rng(7);
        var sample = new float[2];

        noise.Sample(sample);

        Assert.Equal((float)(0.3 * reference.NextNormal()), sample[0]);
        Assert.Equal((float)(0.3 * reference.NextNormal()), sample[1]);
    }

    [Fact]
    public void Ornstein_Uhlenbeck_first_step_matches_the_hand_computed_update()
    {
        // x1 = x0 + theta (mu - x0) dt + sigma sqrt(dt) n = 1 + 0.15 (0.5 - 1) 0.01 + 0.2 * 0.1 * n
        var noise = new OrnsteinUhlenbeckNoise(1, sigma: 0.2, new Rng(11), theta: 0.15, dt: 0.01, mean: 0.5, initial: [1.0]);
        double n = new Rng(11).NextNormal();
        var sample = new float[1];

        noise.Sample(sample);

        double expected = 1 - 0.00075 + 0.02 * n;
        Assert.Equal(expected, noise.Value[0], 12);
        Assert.Equal((float)expected, sample[0]);
    }

    [Fact]
    public void Ornstein_Uhlenbeck_without_diffusion_decays_geometrically_to_its_mean()
    {
        // sigma 0: x_n = mu + (x0 - mu) (1 - theta dt)^n.
        var noise = new OrnsteinUhlenbeckNoise(1, sigma: 0, new Rng(1), theta: 0.15, dt: 0.01, mean: 0.5, initial: [2.0]);
        var sample = new float[1];
        for (int i = 0; i < 1000; i++) noise.Sample(sample);

        Assert.Equal(0.5 + 1.5 * Math.Pow(1 - 0.0015, 1000), noise.Value[0], 9);   // 0.8345
    }

    [Fact]
    public void Ornstein_Uhlenbeck_reverts_to_its_mean_on_average()
    {
        // Starts 3 away from its mean; the relaxation time is 1 / (theta dt) = 667 steps and the
        // stationary spread sigma / sqrt(2 theta) = 0.37, so after 5,000 steps the average of
        // 100,000 more (about 75 independent stretches) lies within 0.15 of the mean with a wide margin.
        var noise = new OrnsteinUhlenbeckNoise(1, sigma: 0.2, new Rng(3), initial: [3.0]);
        var sample = new float[1];
        for (int i = 0; i < 5_000; i++) noise.Sample(sample);
        double sum = 0;
        for (int i = 0; i < 100_000; i++) { noise.Sample(sample); sum += sample[0]; }

        Assert.InRange(sum / 100_000, -0.15, 0.15);
    }

    [Fact]
    public void Reset_returns_the_process_to_its_initial_value()
    {
        var noise = new OrnsteinUhlenbeckNoise(2, sigma: 0.5, new Rng(5), initial: [0.25, -0.25]);
        var sample = new float[2];
        noise.Sample(sample);
        noise.Sample(sample);

        noise.Reset();

        Assert.Equal([0.25, -0.25], noise.Value);
    }

    [Fact]
    public void Ornstein_Uhlenbeck_state_and_generator_together_resume_the_same_draws()
    {
        var rng = new Rng(9);
        var noise = new OrnsteinUhlenbeckNoise(2, sigma: 0.3, rng);
        var sample = new float[2];
        for (int i = 0; i < 10; i++) noise.Sample(sample);
        using var stream = new MemoryStream();
        var writer = new BinaryWriter(stream);
        noise.WriteState(writer);
        rng.WriteState(writer);
        noise.Sample(sample);
        float[] expected = [.. sample];

        stream.Position = 0;
        var reader = new BinaryReader(stream);
        var restoredRng = new Rng(0);
        var restored = new OrnsteinUhlenbeckNoise(2, sigma: 0.3, restoredRng);
        restored.ReadState(reader);
        restoredRng.ReadState(reader);
        restored.Sample(sample);

        Assert.Equal(expected, sample);
    }

    [Fact]
    public void A_span_of_the_wrong_length_is_refused()
    {
        var noise = new GaussianNoise(2, 0.1, new Rng(1));
        Assert.Throws<ArgumentException>(() => noise.Sample(new float[3]));
    }
}
