# docs/your-own-environment.md runs as written: its sh blocks, in order, per section, in a fresh folder, with the
# installed her-tools on the PATH and $HERTOOLS the repository (built by scripts/test.sh). The C# section ends with a
# sweep on Slurm, so it needs what scripts/test.sh provides (HERTOOLS_TOOL_PATH, a running Slurm).

BeforeDiscovery {
    $page = Get-Content -Raw (Join-Path $PSScriptRoot '../../docs/your-own-environment.md')
    # The page's sections (## headings) with the sh blocks of each.
    $sections = foreach ($section in ($page -split '(?m)^## ' | Select-Object -Skip 1)) {
        $title = ($section -split "`n")[0].Trim()
        $blocks = @([regex]::Matches($section, '(?s)```sh\n(.*?)```') | ForEach-Object { $_.Groups[1].Value })
        if ($blocks.Count -gt 0) { @{ Title = $title; Script = ($blocks -join "`n") } }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    if (-not $env:HERTOOLS_TOOL_PATH) { throw 'these tests need the installed her-tools tool: HERTOOLS_TOOL_PATH (scripts/test.sh sets it)' }
    $script:Work = Join-Path $TestDrive 'guide'
    New-Item -ItemType Directory -Path $script:Work | Out-Null
}

Describe 'docs/your-own-environment.md' {
    It 'section "<Title>" runs as written and trains a policy that reaches its goals' -ForEach $sections {
        $scriptPath = Join-Path $Work ("section-" + ($Title -replace '\W', '') + '.sh')
        Set-Content -Path $scriptPath -Value ("set -euo pipefail`n" + $Script)
        $env:HERTOOLS = $RepositoryRoot
        $savedPath = $env:PATH
        $env:PATH = "$($env:HERTOOLS_TOOL_PATH)$([IO.Path]::PathSeparator)$savedPath"
        try {
            Push-Location $Work
            $output = bash $scriptPath 2>&1 | Out-String
            $exitCode = $LASTEXITCODE
        }
        finally {
            Pop-Location
            $env:PATH = $savedPath
        }
        $exitCode | Should -Be 0 -Because $output

        # Every evaluation the page runs ends with a policy that reaches the goal (the page says about 0.95).
        $rates = [regex]::Matches($output, '(?m)^success rate\s+([0-9.]+)') | ForEach-Object { [double]$_.Groups[1].Value }
        @($rates).Count | Should -BeGreaterOrEqual 1
        $rates | ForEach-Object { $_ | Should -BeGreaterOrEqual 0.9 }
    }
}
