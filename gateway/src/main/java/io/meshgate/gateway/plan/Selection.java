package io.meshgate.gateway.plan;

import graphql.language.Argument;
import graphql.language.Directive;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A normalized selection: named fragments are inlined, so only fields and inline fragments remain.
 */
public sealed interface Selection permits Selection.Field, Selection.Fragment {

  /** Directives on the selection ({@code @skip}, {@code @include}, client directives). */
  List<Directive> directives();

  /** A field selection. */
  record Field(
      @Nullable String alias,
      String name,
      List<Argument> arguments,
      List<Directive> directives,
      List<Selection> selections)
      implements Selection {

    /** The key of this field in the response: its alias, else its name. */
    public String responseKey() {
      return alias != null ? alias : name;
    }

    public boolean isLeaf() {
      return selections.isEmpty();
    }
  }

  /** An inline fragment (or an inlined named fragment). */
  record Fragment(
      @Nullable String typeCondition, List<Directive> directives, List<Selection> selections)
      implements Selection {}
}
