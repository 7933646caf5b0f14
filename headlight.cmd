@echo off
rem Headlight launcher for Windows. With no arguments it opens the window; with a command (headlight --help) it
rem runs the command line. Finds a JDK 25 (JAVA_HOME, then the java on PATH), builds target\headlight.jar with
rem the Maven Wrapper (mvnw.cmd, no Maven install needed) when it is missing, then runs it.
rem Extra JVM options: set HEADLIGHT_JAVA_OPTS=-Xmx8g
setlocal EnableExtensions DisableDelayedExpansion
set "ROOT=%~dp0"
set "JDK="

if defined JAVA_HOME call :try_home "%JAVA_HOME%"
if not defined JDK call :try_path
if not defined JDK goto no_jdk

if exist "%ROOT%target\headlight.jar" goto run
echo headlight: building target\headlight.jar with Maven ... 1>&2
pushd "%ROOT%"
set "JAVA_HOME=%JDK%"
rem Maven's output goes to stderr so that the commands' stdout stays clean JSON.
call "%ROOT%mvnw.cmd" -q -B -Dstyle.color=never -DskipTests -Dmaven.test.skip=true package 1>&2
set "BUILD_STATUS=%ERRORLEVEL%"
popd
if not "%BUILD_STATUS%"=="0" goto build_failed

:run
"%JDK%\bin\java.exe" %HEADLIGHT_JAVA_OPTS% --module-path "%ROOT%target\fx" --add-modules javafx.controls,javafx.swing,jdk.incubator.vector --enable-native-access=ALL-UNNAMED,javafx.graphics --add-exports=javafx.base/com.sun.javafx.event=ALL-UNNAMED -cp "%ROOT%target\headlight.jar;%ROOT%target\lib\*" dev.headlight.Headlight %*
exit /b %ERRORLEVEL%

:no_jdk
echo headlight: no JDK 25 or newer found in JAVA_HOME or on PATH; install one, e.g. Temurin 25 from https://adoptium.net, and set JAVA_HOME 1>&2
exit /b 1

:build_failed
echo headlight: the build failed; run "mvnw.cmd -B package" to see the full output 1>&2
exit /b 1

rem ---- subroutines ----

rem Sets JDK to %1 when %1\bin\java.exe is Java 25 or newer.
:try_home
if not exist "%~1\bin\java.exe" goto :eof
set "MAJOR="
set "RAW_VERSION="
for /f "tokens=3" %%V in ('call "%~1\bin\java.exe" -version 2^>^&1 ^| findstr /i /c:" version "') do set "RAW_VERSION=%%~V"
if not defined RAW_VERSION goto :eof
for /f "delims=.-+_" %%M in ("%RAW_VERSION%") do set "MAJOR=%%M"
if not defined MAJOR goto :eof
if %MAJOR% GEQ 25 set "JDK=%~1"
goto :eof

rem Asks the java on PATH for its home (PATH often holds a shim, not the JDK's own bin folder).
:try_path
where java >nul 2>nul
if errorlevel 1 goto :eof
set "PATH_JAVA_HOME="
for /f "tokens=1,* delims==" %%A in ('java -XshowSettings:properties -version 2^>^&1 ^| findstr /c:"java.home ="') do set "PATH_JAVA_HOME=%%B"
if not defined PATH_JAVA_HOME goto :eof
rem drop the space after "="
set "PATH_JAVA_HOME=%PATH_JAVA_HOME:~1%"
call :try_home "%PATH_JAVA_HOME%"
goto :eof
