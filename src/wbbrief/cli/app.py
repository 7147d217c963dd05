"""The Typer app, its root group and the one error boundary of the command line.

Exit codes: 0 ok, 1 data or runtime error, 2 usage error, 130 interrupted (Ctrl-C).
Every command is invoked inside ``boundary()``; nothing else catches a WbbriefError.
"""

import contextlib
import copy
import os
import sys
from collections.abc import Iterator, Sequence
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from wbbrief import __version__
from wbbrief.base.errors import OutputError, WbbriefError

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}


@contextlib.contextmanager
def boundary() -> Iterator[None]:
    """The one place user-caused errors are caught: one red line on stderr, a documented exit code."""
    try:
        yield
        flush_stdout()
    except BrokenPipeError:
        raise typer.Exit(closed_pipe()) from None
    except WbbriefError as err:
        report(str(err))
        raise typer.Exit(err.exit_code) from None
    except KeyboardInterrupt:
        report("interrupted")
        raise typer.Exit(130) from None


class HelpGroup(TyperGroup):
    """A group that, called without a command, prints its help on stderr and exits 2."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args and not ctx.resilient_parsing:
            typer.echo(ctx.get_help(), err=True, color=ctx.color)
            raise typer.Exit(2)
        return list(super().parse_args(ctx, args))


class RootGroup(HelpGroup):
    """The root command: Click's own usage errors (bad choice, unknown option, missing value) come out
    as every other error does, one `wbbrief: error:` line on stderr and exit 2, not Click's block.
    A shell asking for completions (``_WBBRIEF_COMPLETE`` set) is answered by completion.py."""

    def invoke(self, ctx: Any) -> Any:
        with boundary():
            return super().invoke(ctx)

    def main(
        self, args: Sequence[str] | None = None, prog_name: str | None = None, complete_var: str | None = None,
        standalone_mode: bool = True, windows_expand_args: bool = True, **extra: Any,
    ) -> Any:  # fmt: skip
        name = prog_name or _program_name()
        if os.environ.get(complete_var or _complete_var(name)):
            from wbbrief.cli import shells

            sys.exit(shells.respond(self, name, complete_var or _complete_var(name)))
        kwargs = {"windows_expand_args": windows_expand_args, **extra}
        args = _optional_shell(list(sys.argv[1:] if args is None else args), set(self.commands))
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **kwargs)
        except typer.Abort:
            report("aborted")
            sys.exit(1)
        except typer.TyperException as err:  # Click's usage errors (ClickException) derive from it
            report(usage_message(err))
            sys.exit(err.exit_code)
        sys.exit(result if isinstance(result, int) else 0)


def _program_name() -> str:
    name = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    return "wbbrief" if name in ("", "__main__.py", "-c") else name


def _complete_var(prog_name: str) -> str:
    return "_{}_COMPLETE".format(prog_name.replace("-", "_").upper())


def _optional_shell(args: list[str], commands: set[str]) -> list[str]:
    """`--show-completion` alone means this shell: give it an empty value (Click has no optional values)."""
    for i, arg in enumerate(args):
        if arg in ("--show-completion", "--install-completion"):
            following = args[i + 1] if i + 1 < len(args) else "-"
            if following.startswith("-") or following in commands:
                args[i] = f"{arg}="
    return args


def usage_message(err: Any) -> str:
    """Click's message in our style: lower case first, and where to look for the right usage."""
    message = str(err.format_message()).strip()
    if not message.endswith((".", "?", "!")):
        message += "."
    if len(message) > 1 and message[1].islower():
        message = message[0].lower() + message[1:]
    ctx = getattr(err, "ctx", None)
    if ctx is not None:
        message += f" See '{ctx.command_path} -h'."
    return message


def flush_stdout() -> None:
    """Output is buffered: a full disk (> /dev/full) shows only here, so report it here."""
    with writing():
        sys.stdout.flush()


@contextlib.contextmanager
def writing() -> Iterator[None]:
    """A failure to write to standard output becomes one line (exit 1) instead of a traceback; a
    closed pipe goes on to the boundary, which ends quietly."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as err:
        raise OutputError(f"cannot write to standard output: {err.strerror}") from err


def closed_pipe() -> int:
    """The reader went away (`| head -1`): say nothing, as Python, Click and Rich do, and exit 1.
    Standard output now goes to /dev/null, so the final flush at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 1


def echo(text: str) -> None:
    """typer.echo, with a failure to write turned into one line (exit 1) instead of a traceback."""
    with writing():
        typer.echo(text)


def report(message: str) -> None:
    from rich.console import Console
    from rich.text import Text

    from wbbrief.render.output import printable

    # The message may quote what the user typed or a data file holds: no control character gets through.
    text = Text.assemble(("wbbrief: error: ", "bold red"), (printable(message), "red"))
    Console(stderr=True, soft_wrap=True).print(text)


app = typer.Typer(
    name="wbbrief",
    cls=RootGroup,
    add_completion=False,  # the root's own options below, answered by completion.py
    help=(
        "Public-opinion evidence on security in the Western Balkans: key findings in the terminal, "
        "a sourced PDF policy brief on demand. Every figure comes from a 2022 policy paper on "
        "cooperative security, with its survey, page and footnote."
    ),
    context_settings=HELP_OPTIONS,
    epilog=(
        "\b\nExamples:\n  wbbrief findings --country albania\n  wbbrief threats\n  wbbrief export-pdf\n\n"
        "\b\nExit codes: 0 ok, 1 data or runtime error, 2 usage error, 130 interrupted."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"wbbrief {__version__}")
        raise typer.Exit()


def _show_completion(ctx: typer.Context, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    from wbbrief.cli import shells

    with boundary():
        echo(shells.script(value, ctx.find_root().info_name or "wbbrief"))
    raise typer.Exit()


def _install_completion(ctx: typer.Context, value: str | None) -> None:
    if value is None or ctx.resilient_parsing:
        return
    from wbbrief.cli import shells

    with boundary():
        shell, path = shells.install(value, ctx.find_root().info_name or "wbbrief")
        echo(f"{shell} completion installed in {path}; it takes effect in a new terminal.")
    raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True)
    ] = False,
    install_completion: Annotated[
        str | None,
        typer.Option(
            "--install-completion", help="Install completion for SHELL (default: this shell).", metavar="[SHELL]",
            callback=_install_completion, is_eager=True, expose_value=False, show_default=False,
        ),
    ] = None,
    show_completion: Annotated[
        str | None,
        typer.Option(
            "--show-completion",
            help="Print the completion script for SHELL (bash, zsh, fish or powershell; default: this shell).",
            metavar="[SHELL]", callback=_show_completion, is_eager=True, expose_value=False, show_default=False,
        ),
    ] = None,
) -> None:  # fmt: skip
    """Public-opinion evidence on security in the Western Balkans, with its sources."""


def only_the_command_called(root: typer.Typer, args: Sequence[str]) -> typer.Typer:
    """The app to run for these arguments: when the first one names a command (or group), a copy of the
    root holding that one alone, since Typer turns every registered command's signature into Click
    parameters before it parses anything (a third of a query's start-up for the fifteen commands not
    called). The command's help, errors and output are the same; anything else (the root's help or
    options, a misspelt command, a shell asking for completions) gets the whole app."""
    if not args or os.environ.get(_complete_var(_program_name())):
        return root
    called = args[0]
    commands = [c for c in root.registered_commands if _command_name(c) == called]
    groups = [g for g in root.registered_groups if g.name == called]
    if not commands and not groups:
        return root
    pruned = copy.copy(root)
    pruned.registered_commands = commands
    pruned.registered_groups = groups
    return pruned


def _command_name(info: Any) -> str:
    name = info.name or getattr(info.callback, "__name__", "")
    return str(name).lower().replace("_", "-")


def main() -> None:
    """Console-script entry point. Help and --version are written by Click, outside the boundary:
    a failure to write them is caught here."""
    try:
        only_the_command_called(app, sys.argv[1:])()
    except BrokenPipeError:
        sys.exit(closed_pipe())
    except OSError as err:
        report(f"cannot write to standard output: {err.strerror}")
        sys.exit(1)
