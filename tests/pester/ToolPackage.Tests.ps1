# The her-tools package carries the patched native library: dotnet tool install unpacks exactly these bytes.
# scripts/test.sh packs the tool into ./artifacts first and names the package in HERTOOLS_TOOL_PACKAGE;
# run alone, this file packs its own copy (slower: the package holds libtorch for three platforms).

BeforeAll {
    $repositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $package = $env:HERTOOLS_TOOL_PACKAGE
    if (-not $package) {
        $output = Join-Path $TestDrive 'package'
        dotnet pack (Join-Path $repositoryRoot 'src/HerTools.Cli') -c Release -o $output -v:q -nologo | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "dotnet pack failed with exit code $LASTEXITCODE" }
        $package = (Get-ChildItem -Path $output -Filter 'her-tools.*.nupkg' | Select-Object -First 1).FullName
    }

    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [System.IO.Compression.ZipFile]::OpenRead($package)
    try {
        $script:EntryNames = @($zip.Entries | ForEach-Object FullName)
        $entry = $zip.GetEntry('tools/net10.0/any/runtimes/linux-x64/native/libLibTorchSharp.so')
        $script:Native = if ($entry) {
            $stream = $entry.Open()
            try {
                $memory = [System.IO.MemoryStream]::new()
                $stream.CopyTo($memory)
                , $memory.ToArray()
            }
            finally { $stream.Dispose() }
        }
    }
    finally { $zip.Dispose() }
}

Describe 'the her-tools package' {
    It 'is a .NET tool package with the her-tools command' {
        $EntryNames | Should -Contain 'tools/net10.0/any/DotnetToolSettings.xml'
        $EntryNames | Should -Contain 'tools/net10.0/any/her-tools.dll'
    }

    It 'ships libLibTorchSharp.so with its GLIBCXX_3.4.32 need marked weak and its size unchanged' {
        # vna_flags of that need sits at file offset 0x3fa34 in TorchSharp 0.107.0's library (readelf -S -V):
        # 0 in the package cache, VER_FLG_WEAK (2) once patched.
        $Native.Length | Should -Be 2399008
        $Native[0x3fa34] | Should -Be 2
    }
}
