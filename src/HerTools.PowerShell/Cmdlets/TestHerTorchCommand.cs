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
        int leftColumns = ColumnCount(Left, nameof(Left));
        int rightColumns = ColumnCount(Right, nameof(Right));
        if (leftColumns != Right.Length)
        {
            // Checked here because TorchSharp 0.107's native matmul does not catch libtorch's shape error:
            // a mismatch would abort the whole pwsh process instead of raising an exception.
            Fail(new ArgumentException(
                $"Left has {leftColumns} columns but Right has {Right.Length} rows; they cannot be multiplied."),
                "ShapeMismatch", ErrorCategory.InvalidArgument);
        }

        double[][] product;
        try
        {
            using var scope = NewDisposeScope();
            Tensor left = tensor(Left.SelectMany(row => row).ToArray(), [Left.Length, leftColumns], dtype: ScalarType.Float64);
            Tensor right = tensor(Right.SelectMany(row => row).ToArray(), [Right.Length, rightColumns], dtype: ScalarType.Float64);
            product = matmul(left, right).data<double>().ToArray().Chunk(rightColumns).ToArray();
        }
        catch (Exception exception) when (exception is not PipelineStoppedException)
        {
            // A native backend that fails to load ends here, with TorchSharp's own explanation.
            Fail(exception, "TorchFailed", ErrorCategory.InvalidOperation);
            return;
        }

        WriteObject(new HerTorchCheck(
            Product: product,
            LibTorchVersion: __version__,
            TorchSharpVersion: typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown"));
    }

    private int ColumnCount(double[][] rows, string parameterName)
    {
        int columns = rows[0]?.Length ?? 0;
        if (columns == 0 || rows.Any(row => row is null || row.Length != columns))
        {
            Fail(new ArgumentException($"Every row of {parameterName} must have the same, non-zero number of columns.", parameterName),
                "RaggedMatrix", ErrorCategory.InvalidArgument);
        }
        return columns;
    }

    private void Fail(Exception exception, string errorId, ErrorCategory category) =>
        ThrowTerminatingError(new ErrorRecord(exception, errorId, category, null));
}
