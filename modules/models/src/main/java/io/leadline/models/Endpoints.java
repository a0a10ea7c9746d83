package io.leadline.models;

import java.net.URI;

/** Joins an API root and a path the way users write roots: with or without a trailing slash. */
final class Endpoints {
  private Endpoints() {}

  static URI resolve(URI baseUrl, String path) {
    String root = baseUrl.toString();
    return URI.create(root.endsWith("/") ? root + path : root + "/" + path);
  }
}
