using System.Management.Automation;
using TorchSharp;
using static TorchSharp.torch;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>
/// <para type="synopsis">Multiplies two small matrices with TorchSharp, proving its native backend loads in this session.</para>
/// <para type="description">Creates two tensors, multiplies them with torch.matmul and returns the product with the
/// libtorch and TorchSharp versions. Without arguments it multiplies [[1,2],[3,4]] by [[5,6],[7,8]].</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "HerTorch")]
[OutputType(typeof(HerTorchCheck))]
public sealed class TestHerTorchCommand : PSCmdlet
{
    /// <summary>The left matrix, as rows.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public double[][] Left { get; set; } = [[1, 2], [3, 4]];

    /// <summary>The right matrix, as rows.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public double[][] Right { get; set; } = [[5, 6], [7, 8]];

    protected override void ProcessRecord()
    {
        double[][] product;
        try
        {
            using var scope = NewDisposeScope();
            Tensor left = ToTensor(Left, nameof(Left));
            Tensor right = ToTensor(Right, nameof(Right));
            product = ToRows(matmul(left, right));
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            // Shape mismatches and a native backend that fails to load both end here, with torch's own message.
            ThrowTerminatingError(new ErrorRecord(exception, "TorchFailed", ErrorCategory.InvalidOperation, null));
            return;
        }

        WriteObject(new HerTorchCheck(
            Product: product,
            LibTorchVersion: __version__,
            TorchSharpVersion: typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown"));
    }

    private static Tensor ToTensor(double[][] rows, string parameterName)
    {
        int columns = rows[0]?.Length ?? 0;
        if (columns == 0 || rows.Any(row => row is null || row.Length != columns))
            throw new ArgumentException("Every row must have the same, non-zero number of columns.", parameterName);
        double[] flat = rows.SelectMany(row => row).ToArray();
        return tensor(flat, [rows.Length, columns], dtype: ScalarType.Float64);
    }

    private static double[][] ToRows(Tensor matrix)
    {
        int columns = (int)matrix.shape[1];
        return matrix.data<double>().ToArray().Chunk(columns).ToArray();
    }
}
