# The HerTools module as a user gets it: Import-Module ./HerTools.psd1 after a build, in a pwsh of its own
# (Start-Job runs a new pwsh process), so nothing this Pester session loaded can help it along.

BeforeAll {
    $script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:Manifest = Join-Path $RepositoryRoot 'HerTools.psd1'

    # Runs $ScriptBlock in a fresh pwsh that imported the module, passing it $ArgumentList.
    function Invoke-InFreshPwsh {
        param([scriptblock] $ScriptBlock, [object[]] $ArgumentList = @())
        $job = Start-Job -ArgumentList (@($script:Manifest, $ScriptBlock.ToString()) + $ArgumentList) -ScriptBlock {
            param($manifest, $body)
            $ErrorActionPreference = 'Stop'
            Import-Module $manifest
            $rest = $args
            & ([scriptblock]::Create($body)) @rest
        }
        $job | Receive-Job -Wait -AutoRemoveJob -ErrorAction Stop
    }
}

Describe 'HerTools.psd1' {
    It 'is a valid manifest of version 0.1.0 for PowerShell 7.4 Core' {
        $info = Test-ModuleManifest -Path $Manifest

        $info.Version | Should -Be ([version]'0.1.0')
        $info.PowerShellVersion | Should -Be ([version]'7.4')
        $info.CompatiblePSEditions | Should -Be @('Core')
    }

    It 'loads the compiled cmdlets from module/bin, with TorchSharp native files flat beside TorchSharp.dll' {
        $bin = Join-Path $RepositoryRoot 'module/bin'

        Join-Path $bin 'HerTools.PowerShell.dll' | Should -Exist
        Join-Path $bin 'TorchSharp.dll' | Should -Exist
        Join-Path $bin 'libLibTorchSharp.so' | Should -Exist
        Join-Path $bin 'libtorch_cpu.so' | Should -Exist
    }

    It 'ships libLibTorchSharp.so with its GLIBCXX_3.4.32 need marked weak' {
        # The build's own patcher (its tests check where it finds the need) finds nothing left to patch in the
        # shipped copy; no offset or size of one TorchSharp build is written here.
        Add-Type -Path (Join-Path $RepositoryRoot 'src/HerTools.Build/bin/Release/HerTools.Build.dll')
        $copy = Join-Path $TestDrive 'libLibTorchSharp.so'
        Copy-Item (Join-Path $RepositoryRoot 'module/bin/libLibTorchSharp.so') $copy

        [HerTools.Build.ElfVersionNeedPatcher]::PatchFile($copy) | Should -Be 'AlreadyWeak'
    }
}

Describe 'Test-HerTorch' {
    Context 'in a fresh pwsh that imported ./HerTools.psd1' {
        It 'multiplies <Name> with TorchSharp' -ForEach @(
            @{ Name = 'the default 2x2 matrices'; Left = $null; Right = $null; Expected = '19,22;43,50' }
            @{ Name = 'a row by a column'; Left = '[[1,2,3]]'; Right = '[[4],[5],[6]]'; Expected = '32' }
            @{ Name = 'a 2x3 by a 3x2 matrix'; Left = '[[1,0,2],[0,1,0]]'; Right = '[[1,2],[3,4],[5,6]]'; Expected = '11,14;3,4' }
        ) {
            $result = Invoke-InFreshPwsh -ArgumentList $Left, $Right -ScriptBlock {
                param($left, $right)
                if ($null -eq $left) { return Test-HerTorch }
                Test-HerTorch -Left (ConvertFrom-Json $left -NoEnumerate) -Right (ConvertFrom-Json $right -NoEnumerate)
            }

            ($result.Product | ForEach-Object { $_ -join ',' }) -join ';' | Should -Be $Expected
        }

        It 'reports the libtorch and TorchSharp versions it computed with' {
            $result = Invoke-InFreshPwsh -ScriptBlock { Test-HerTorch }

            $result.LibTorchVersion | Should -Match '^2\.10\.'
            $result.TorchSharpVersion | Should -Be '0.107.0.0'
        }

        It 'refuses <Name> with a <ErrorId> error, and the session lives on' -ForEach @(
            @{ Name = 'matrices whose shapes do not fit'; Left = '[[1,2]]'; Right = '[[1,2]]'; ErrorId = 'ShapeMismatch' }
            @{ Name = 'a ragged matrix'; Left = '[[1,2],[3]]'; Right = '[[1],[2]]'; ErrorId = 'RaggedMatrix' }
        ) {
            $outcome = Invoke-InFreshPwsh -ArgumentList $Left, $Right -ScriptBlock {
                param($left, $right)
                try { Test-HerTorch -Left (ConvertFrom-Json $left -NoEnumerate) -Right (ConvertFrom-Json $right -NoEnumerate); 'no error' }
                catch { $_.FullyQualifiedErrorId }
                'still alive'
            }

            $outcome | Should -Be @("$ErrorId,HerTools.PowerShell.Cmdlets.TestHerTorchCommand", 'still alive')
        }
    }
}
