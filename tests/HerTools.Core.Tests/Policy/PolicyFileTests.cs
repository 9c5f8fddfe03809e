using HerTools.Policy;

namespace HerTools.Core.Tests.Policy;

/// <summary>The policy file format: a round trip keeps every value, and a damaged or foreign file is refused with a reason.</summary>
public class PolicyFileTests
{
    // A hand-made two-layer policy whose actions can be worked out by hand.
    private static PolicyModel Tiny(bool relativeGoals = false, InputNormalization? normalization = null) => new(
        observationSize: 1, goalSize: 1, actionSize: 1, hiddenSizes: [2], PolicyActivation.Relu,
        parameters: [/* hidden weights */ 1f, 0f, 0f, 1f, /* hidden biases */ 0f, 0f, /* output weights */ 1f, -1f, /* output bias */ 0.5f],
        actionCenter: [1f], actionHalfRange: [2f], relativeGoals, normalization, "her", "Tiny-v0");

    private static byte[] Bytes(PolicyModel model)
    {
        using var stream = new MemoryStream();
        PolicyFile.Write(model, stream);
        return stream.ToArray();
    }

    [Fact]
    public void Actions_are_the_networks_output_through_tanh_scaled_to_the_bounds()
    {
        // hidden = relu([obs, goal]) = [0.5, 0], output = 1 * 0.5 - 1 * 0 + 0.5 = 1, action = 1 + 2 tanh(1).
        var policy = new GoalPolicy(Tiny());
        var action = new float[1];
        policy.Act([0.5f], [9f], [-0.25f], action);
        Assert.Equal(1f + 2f * MathF.Tanh(1f), action[0]);

        // Relative goals: the goal part is -0.25 - 0.25 = -0.5, normalised to (-0.5 + 1) / 0.5 = 1 (at the clip range).
        var relative = new GoalPolicy(Tiny(relativeGoals: true, new InputNormalization([0f], [1f], [-1f], [0.5f], ClipRange: 1f)));
        relative.Act([0.5f], [0.25f], [-0.25f], action);
        // hidden relu([0.5, 1]) = [0.5, 1], output 0.5 - 1 + 0.5 = 0, action 1 + 2 tanh(0).
        Assert.Equal(1f, action[0]);
    }

    [Fact]
    public void A_written_policy_reads_back_with_every_value()
    {
        var model = Tiny(relativeGoals: true, new InputNormalization([0.5f], [2f], [-1f], [0.25f], ClipRange: 5f));
        using var stream = new MemoryStream(Bytes(model));
        var read = PolicyFile.Read(stream);
        Assert.Equal(model.Parameters, read.Parameters);
        Assert.Equal(model.HiddenSizes, read.HiddenSizes);
        Assert.Equal(model.Activation, read.Activation);
        Assert.Equal(model.ActionCenter, read.ActionCenter);
        Assert.Equal(model.ActionHalfRange, read.ActionHalfRange);
        Assert.True(read.RelativeGoals);
        Assert.Equal(model.Normalization!.ObservationStd, read.Normalization!.ObservationStd);
        Assert.Equal(model.Normalization.GoalMean, read.Normalization.GoalMean);
        Assert.Equal(5f, read.Normalization.ClipRange);
        Assert.Equal(("her", "Tiny-v0"), (read.Algorithm, read.EnvironmentId));
    }

    [Fact]
    public void A_file_cut_anywhere_is_refused_as_cut_short()
    {
        byte[] whole = Bytes(Tiny(normalization: new InputNormalization([0f], [1f], [0f], [1f], 5f)));
        for (int length = 9; length < whole.Length; length++)
        {
            using var stream = new MemoryStream(whole[..length]);
            var e = Assert.Throws<PolicyFormatException>(() => PolicyFile.Read(stream));
            Assert.Contains("end", e.Message);
        }
    }

    [Fact]
    public void A_foreign_file_a_newer_version_or_trailing_bytes_are_refused_with_the_reason()
    {
        byte[] whole = Bytes(Tiny());
        Assert.Contains("not a HerTools policy file", Refusal([.. "PK\u0003\u0004 not a policy"u8]));
        byte[] newer = [.. whole];
        newer[8] = 2;
        Assert.Contains("version 2", Refusal(newer));
        Assert.Contains("goes on after", Refusal([.. whole, 0]));
        byte[] wide = [.. whole];
        // The observation size sits after the header (12 bytes) and the two strings ("her", "Tiny-v0": 1 + 3 and 1 + 7 bytes).
        BitConverter.GetBytes(1 << 30).CopyTo(wide, 12 + 4 + 8);
        Assert.Contains("observation size", Refusal(wide));
    }

    private static string Refusal(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return Assert.Throws<PolicyFormatException>(() => PolicyFile.Read(stream)).Message;
    }

    [Fact]
    public void A_model_whose_weights_do_not_fit_its_layers_is_refused()
    {
        var e = Assert.Throws<PolicyFormatException>(() => new PolicyModel(1, 1, 1, [2], PolicyActivation.Relu, new float[8], [0f], [1f], false, null));
        Assert.Contains("need 9 weights and biases, got 8", e.Message);
    }
}
