# Dot-sourced in BeforeAll by the cmdlet tests: imports the module under test (the repository's HerTools.psd1,
# loading the build in module/bin) and gives the small helpers several test files share.
# HERTOOLS_MODULE=HerTools tests the installed module instead, imported by name (.github/workflows/packages.yml
# runs the cmdlet tests so on each platform after Install-PSResource HerTools).

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:Manifest = if ($env:HERTOOLS_MODULE) { $env:HERTOOLS_MODULE } else { Join-Path $RepositoryRoot 'HerTools.psd1' }
Import-Module $Manifest

# A short PointGoal-v0 run: long enough for two evaluations and a best checkpoint, short enough for a test.
$script:ShortRun = @{ total_timesteps = 500; 'eval.eval_freq' = 250; 'eval.n_eval_episodes' = 10 }

function New-ShortRun {
    param([Parameter(Mandatory)] [string] $OutputDirectory, [hashtable] $Set = @{}, [ulong] $Seed = 0)
    $overrides = $script:ShortRun.Clone()
    foreach ($key in $Set.Keys) { $overrides[$key] = $Set[$key] }
    Start-HerTraining -Preset point_goal -Set $overrides -Seed $Seed -OutputDirectory $OutputDirectory
}

# The environment plug-in the solution builds (tests/HerTools.TestPlugin: MyEnvs.dll with Reach2D-v0 and
# Reach2DNoState-v0), copied with its .deps.json and dependency into $Destination; returns the copy's path.
function Copy-TestPlugin {
    param([Parameter(Mandatory)] [string] $Destination)
    $built = Get-ChildItem (Join-Path $script:RepositoryRoot 'tests/HerTools.TestPlugin/bin/*/net10.0/MyEnvs.dll') |
        Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if (-not $built) { throw 'tests/HerTools.TestPlugin is not built: build the solution first' }
    New-Item -ItemType Directory -Path $Destination -Force | Out-Null
    Copy-Item (Join-Path $built.DirectoryName '*') $Destination -Recurse -Force
    Join-Path $Destination 'MyEnvs.dll'
}

# The error record a script block stops with (Should -Throw -PassThru, spelled for readability).
function Get-TerminatingError {
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    try { & $ScriptBlock; $null } catch { $_ }
}

# Runs $ScriptBlock in a new pwsh process (Start-Job) that imported $ModuleToImport, passing $ArgumentList.
function Invoke-InFreshPwsh {
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock, [object[]] $ArgumentList = @(), [string] $ModuleToImport = $script:Manifest)
    $job = Start-Job -ArgumentList (@($ModuleToImport, $ScriptBlock.ToString()) + $ArgumentList) -ScriptBlock {
        param($module, $body)
        $ErrorActionPreference = 'Stop'
        Import-Module $module
        $rest = $args
        & ([scriptblock]::Create($body)) @rest
    }
    $job | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop
}
