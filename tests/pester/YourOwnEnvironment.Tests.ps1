# docs/your-own-environment.md runs as written: its sh blocks, in order, per section, in a fresh folder, with the
# installed her-tools on the PATH and $HERTOOLS the repository (built by scripts/test.sh). The C# section installs the
# HerTools.Templates package and restores HerTools.Core from the packages scripts/test.sh packed (LibraryPackages.ps1),
# offline, with a home, a .NET CLI home and a NuGet package folder of its own; it ends with a sweep on Slurm, so it
# needs what scripts/test.sh provides (HERTOOLS_TOOL_PATH, a running Slurm).

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
    . (Join-Path $PSScriptRoot 'LibraryPackages.ps1')
    if (-not $env:HERTOOLS_TOOL_PATH) { throw 'these tests need the installed her-tools tool: HERTOOLS_TOOL_PATH (scripts/test.sh sets it)' }
    $script:Work = Join-Path $TestDrive 'guide'
    $script:Feed = Get-LibraryPackageFolder -Scratch (Join-Path $TestDrive 'feed')
    $script:Version = Get-HerToolsVersion
    # What the page finds as a user would: a nuget.config above the folder it works in names the feed.
    $script:PackageFolder = Join-Path $TestDrive 'nuget-packages'
    New-OfflineNuGetConfig -Folder $Work -Feed $Feed -PackageFolder $PackageFolder
    $script:UserHome = Join-Path $TestDrive 'home'
    New-Item -ItemType Directory -Path $UserHome | Out-Null
}

Describe 'docs/your-own-environment.md' {
    It 'section "<Title>" runs as written and trains a policy that reaches its goals' -ForEach $sections {
        $scriptPath = Join-Path $Work ("section-" + ($Title -replace '\W', '') + '.sh')
        Set-Content -Path $scriptPath -Value ("set -euo pipefail`n" + $Script)
        $saved = @{}
        foreach ($name in 'PATH', 'HOME', 'DOTNET_CLI_HOME', 'NUGET_PACKAGES', 'HERTOOLS') { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
        $env:HERTOOLS = $RepositoryRoot
        $env:PATH = "$($env:HERTOOLS_TOOL_PATH)$([IO.Path]::PathSeparator)$($saved['PATH'])"
        # A user's machine of its own: templates install into this home, packages restore into the page's folder.
        $env:HOME = $UserHome
        $env:DOTNET_CLI_HOME = $UserHome
        $env:NUGET_PACKAGES = $null
        try {
            Push-Location $Work
            $output = bash $scriptPath 2>&1 | Out-String
            $exitCode = $LASTEXITCODE
        }
        finally {
            Pop-Location
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        $exitCode | Should -Be 0 -Because $output

        # Every evaluation the page runs ends with a policy that reaches the goal (the page says about 0.95).
        $rates = [regex]::Matches($output, '(?m)^success rate\s+([0-9.]+)') | ForEach-Object { [double]$_.Groups[1].Value }
        @($rates).Count | Should -BeGreaterOrEqual 1
        $rates | ForEach-Object { $_ | Should -BeGreaterOrEqual 0.9 }
    }

    It 'builds the template''s plug-in against the HerTools.Core package just packed, and keeps the engine out of its folder' {
        $project = Join-Path $Work 'MyEnvs'
        Test-Path (Join-Path $project 'MyEnvs/ReachEnv.cs') | Should -BeTrue -Because 'the C# section instantiates the template here'
        $assets = Get-Content -Raw (Join-Path $project 'MyEnvs/obj/project.assets.json') | ConvertFrom-Json -AsHashtable
        $assets.libraries.Keys | Should -Contain "HerTools.Core/$Version"
        # Restored from the feed into the page's own package folder: the very bytes packed.
        $restored = Join-Path $PackageFolder "hertools.core/$Version/hertools.core.$Version.nupkg"
        (Get-FileHash $restored).Hash | Should -Be (Get-FileHash (Join-Path $Feed "HerTools.Core.$Version.nupkg")).Hash
        $output = Join-Path $project 'MyEnvs/bin/Release/net10.0'
        Test-Path (Join-Path $output 'MyEnvs.dll') | Should -BeTrue
        foreach ($hostFile in 'HerTools.Core.dll', 'HerTools.Policy.dll', 'TorchSharp.dll') {
            Test-Path (Join-Path $output $hostFile) | Should -BeFalse -Because "the host provides $hostFile"
        }
        @(Get-ChildItem $output -Recurse -File | Where-Object Name -Match 'torch') | Should -BeNullOrEmpty
        # The trained run records the plug-in it loaded.
        Get-Content (Join-Path $project 'runs/reach/config.yaml') -Raw | Should -Match '# env.assembly sha256: [0-9a-f]{64}  .*MyEnvs\.dll'
    }
}
