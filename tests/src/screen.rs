//! Screenshots read from the X server (Xvfb): the top-left part of the screen the app's window
//! covers (the window sits at 0,0 with no window manager; it fills the 1280×800 screen unless
//! a test made it smaller), as PNG.

use anyhow::{Context, Result, bail};
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt, ImageFormat};

/// The top-left `width`×`height` of the screen of `display` (`:N`), at most all of it, as a
/// PNG file's bytes.
pub fn capture(display: &str, width: u16, height: u16) -> Result<Vec<u8>> {
    let (conn, n) = x11rb::connect(Some(display)).context("connect to the X display")?;
    let screen = &conn.setup().roots[n];
    let w = width.clamp(1, screen.width_in_pixels);
    let h = height.clamp(1, screen.height_in_pixels);
    let image = conn
        .get_image(ImageFormat::Z_PIXMAP, screen.root, 0, 0, w, h, !0)?
        .reply()
        .context("read the screen")?;
    let bpp = conn
        .setup()
        .pixmap_formats
        .iter()
        .find(|f| f.depth == image.depth)
        .map(|f| f.bits_per_pixel);
    if image.depth != 24 || bpp != Some(32) {
        bail!(
            "unexpected screen format: depth {}, {bpp:?} bits per pixel",
            image.depth
        );
    }
    // 32 bits per pixel, blue-green-red-unused in memory (little-endian X server).
    let rgb: Vec<u8> = image
        .data
        .chunks_exact(4)
        .flat_map(|p| [p[2], p[1], p[0]])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, u32::from(w), u32::from(h));
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}
