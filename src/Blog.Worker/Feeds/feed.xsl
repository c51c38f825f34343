<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an RSS 2.0 or Atom feed as a readable page when it is opened in a browser. Feed readers ignore it. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:fh="http://purl.org/syndication/history/1.0">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/> (web feed)</title>
        <style>
          body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
          .note { background: #fff8d6; padding: .75rem 1rem; border-radius: .4rem; }
          li { margin: 1rem 0; } small { color: #666; } a { color: #1a4fb3; }
        </style>
      </head>
      <body>
        <main>
          <p class="note">This is a web feed. Copy its address into your feed reader to subscribe.
            <!-- An archive page has no follow page beside it: the feed's own does. -->
            <xsl:if test="not(atom:feed/fh:archive)"> <a href="follow.html">Follow it in a reader</a>.</xsl:if></p>
          <h1><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/></h1>
          <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
          <ul>
            <xsl:for-each select="rss/channel/item">
              <li><a href="{link}"><xsl:value-of select="title"/></a><br/><small><xsl:value-of select="pubDate"/></small>
                <div><xsl:value-of select="description"/></div></li>
            </xsl:for-each>
            <xsl:for-each select="atom:feed/atom:entry">
              <li><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a><br/><small><xsl:value-of select="atom:published"/></small>
                <div><xsl:value-of select="atom:summary"/></div></li>
            </xsl:for-each>
          </ul>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
