package io.meshgate.gateway.plan;

import graphql.language.Argument;
import graphql.language.AstPrinter;
import graphql.language.Directive;
import java.util.List;

/** Prints normalized selections as compact GraphQL. */
final class Printer {

  private Printer() {}

  static String print(List<Selection> selections) {
    StringBuilder out = new StringBuilder();
    printSet(selections, out);
    return out.toString();
  }

  static void printSet(List<Selection> selections, StringBuilder out) {
    out.append('{');
    boolean first = true;
    for (Selection selection : selections) {
      if (!first) {
        out.append(' ');
      }
      first = false;
      print(selection, out);
    }
    out.append('}');
  }

  static void print(Selection selection, StringBuilder out) {
    switch (selection) {
      case Selection.Field field -> {
        if (field.alias() != null) {
          out.append(field.alias()).append(':');
        }
        out.append(field.name());
        printArguments(field.arguments(), out);
        printDirectives(field.directives(), out);
        if (!field.selections().isEmpty()) {
          printSet(field.selections(), out);
        }
      }
      case Selection.Fragment fragment -> {
        out.append("...");
        if (fragment.typeCondition() != null) {
          out.append("on ").append(fragment.typeCondition());
        }
        printDirectives(fragment.directives(), out);
        printSet(fragment.selections(), out);
      }
    }
  }

  static void printArguments(List<Argument> arguments, StringBuilder out) {
    if (arguments.isEmpty()) {
      return;
    }
    out.append('(');
    for (int i = 0; i < arguments.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      Argument argument = arguments.get(i);
      out.append(argument.getName())
          .append(':')
          .append(AstPrinter.printAstCompact(argument.getValue()));
    }
    out.append(')');
  }

  static void printDirectives(List<Directive> directives, StringBuilder out) {
    for (Directive directive : directives) {
      out.append(" @").append(directive.getName());
      printArguments(directive.getArguments(), out);
    }
  }
}
