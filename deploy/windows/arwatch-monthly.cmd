@echo off
rem The monthly arwatch run, for Windows Task Scheduler (docs/scheduling.md).
rem
rem Put this file beside arwatch.exe, set the three lines below (or the same names in the task's
rem environment), and schedule it once a month, a few days after the month end, when the
rem exports of the closed month are in. Each run appends to the log; the task's "last result"
rem is arwatch's exit code (0 done, 3 done with rows rejected or warnings, 4 input error,
rem 5 output error, 6 alerts not sent; see arwatch --help).
setlocal
if "%ARWATCH_EXE%"=="" set "ARWATCH_EXE=%~dp0arwatch.exe"
if "%ARWATCH_CONFIG%"=="" set "ARWATCH_CONFIG=%~dp0sample_data\arwatch.toml"
if "%ARWATCH_LOG%"=="" set "ARWATCH_LOG=%~dp0arwatch-monthly.log"

rem A scheduled run opens no PDF viewer.
set ARWATCH_NO_OPEN=1
echo ==== %DATE% %TIME% arwatch run --config "%ARWATCH_CONFIG%" >> "%ARWATCH_LOG%"
"%ARWATCH_EXE%" run --config "%ARWATCH_CONFIG%" >> "%ARWATCH_LOG%" 2>&1
set CODE=%ERRORLEVEL%
echo ==== exit code %CODE% >> "%ARWATCH_LOG%"
exit /b %CODE%
